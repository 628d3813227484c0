package dev.chatops.checks.tls.rules;

import dev.chatops.checks.tls.cert.CertNames;
import dev.chatops.checks.tls.cert.Chain;
import dev.chatops.checks.tls.probe.HostCerts;
import dev.chatops.checks.tls.target.ServedCert;
import dev.chatops.checks.tls.target.Targets;
import dev.chatops.checks.tls.target.UpstreamTls;
import dev.chatops.core.shell.ShellQuote;
import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Fix;
import dev.chatops.nginx.config.Directive;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Judges each certificate the config names, served or presented by an upstream: expiry against
 * {@code warnDays}, chain, names, and the served ones' keys. Deciding ({@link Finding}s) is kept apart
 * from wording (the causes and the summary).
 */
public final class TlsRules {

    /** What is wrong with one certificate; the summary counts certificates per kind. */
    public enum Kind {
        EXPIRED("has expired", "have expired"),
        NOT_YET_VALID("is not valid yet", "are not valid yet"),
        KEY_MISMATCH("does not match its key", "do not match their keys"),
        NAME_MISMATCH("does not cover the name it is used for", "do not cover the names they are used for"),
        CHAIN("is sent without a complete chain", "are sent without a complete chain"),
        EXPIRING("expires within %d days", "expire within %d days");

        final String one;
        final String many;

        Kind(String one, String many) {
            this.one = one;
            this.many = many;
        }
    }

    static final Pattern DNS_NAME = Pattern.compile("(\\*\\.)?[a-z0-9](?:[a-z0-9-]{0,62})(?:\\.[a-z0-9](?:[a-z0-9-]{0,62}))*");

    /** The outcome for one run: causes with the certificates each counts, notes, and what could not be read. */
    public record Outcome(List<Cause> causes, Map<Kind, Set<String>> counted, List<String> unread, List<String> notes,
                          List<String> checked, Optional<String> firstExpiry) {
    }

    private final Instant now;
    private final int warnDays;
    private final List<Cause> causes = new ArrayList<>();
    private final Map<Kind, Set<String>> counted = new LinkedHashMap<>();
    private final List<String> unread = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> checked = new ArrayList<>();
    private Optional<X509Certificate> soonest = Optional.empty();
    private String soonestLabel = "";

    private TlsRules(Instant now, int warnDays) {
        this.now = now;
        this.warnDays = warnDays;
    }

    public static Outcome judge(Evidence e, Targets targets, int warnDays) {
        TlsRules r = new TlsRules(e.collectedAt(), warnDays);
        Map<String, HostCerts.CertFile> files = HostCerts.certFiles(e, targets);
        Map<String, HostCerts.KeyRead> keys = HostCerts.keys(e, targets);
        for (ServedCert s : targets.served()) {
            r.served(s, files.get(s.certPath()), s.keyPath().map(keys::get));
        }
        List<HostCerts.Presented> presented = HostCerts.upstreams(e, targets);
        for (int i = 0; i < targets.upstreams().size(); i++) {
            r.upstream(targets.upstreams().get(i), presented.get(i));
        }
        Optional<String> first = r.soonest.map(c -> r.soonestLabel + " on " + Words.DAY.format(c.getNotAfter().toInstant())
                + " (" + Words.daysLeft(r.now, c) + " days)");
        return new Outcome(r.causes, r.counted, r.unread, r.notes, r.checked, first);
    }

    // ---- served certificates -------------------------------------------------------------------------

    private void served(ServedCert s, HostCerts.CertFile file, Optional<HostCerts.KeyRead> key) {
        String where = s.certPath() + " (ssl_certificate at " + s.certificate().at() + ")";
        if (file.problem().isPresent()) {
            unread.add("certificate " + where + ": " + file.problem().get());
            return;
        }
        if (file.certificates().unreadable() > 0) {
            notes.add(s.certPath() + " holds " + file.certificates().unreadable() + " block(s) that are not valid "
                    + "certificates");
        }
        Chain chain = new Chain(file.certificates().certificates());
        X509Certificate leaf = chain.leaf();
        String label = CertNames.label(leaf) + " (" + s.certPath() + ")";
        checked.add(label);
        String servedFor = servedFor(s);
        expiry(chain, label, "served for " + servedFor, Remedies.renew(s, leaf));
        switch (chain.shape()) {
            case MISSING_INTERMEDIATE -> count(Kind.CHAIN, s.certPath(), Cause.of("chain-incomplete",
                            "The certificate is sent without its intermediate")
                    .confidence(Confidence.SOON)
                    .detail(s.certPath() + " holds only the server's certificate for " + servedFor + "; its issuer "
                            + chain.missingIssuer() + " is not in it, so browsers and clients that do not already "
                            + "have that intermediate fail with \"unable to verify the first certificate\" (unless "
                            + "they were given a private CA that issued it directly).")
                    .evidence(s.certPath(), "1 certificate: " + Words.describe(leaf))
                    .evidence("ssl_certificate", s.certificate().text() + " (" + s.certificate().at() + ")")
                    .fix(Remedies.fullChain(s))
                    .fix(Remedies.fullChainDirective(s))
                    .build());
            case WRONG_ORDER -> {
                int at = chain.firstBreak().orElse(1);
                count(Kind.CHAIN, s.certPath(), Cause.of("chain-wrong-order", "The certificate chain is out of order")
                        .confidence(Confidence.LIKELY)
                        .detail("In " + s.certPath() + ", certificate " + (at + 1) + " (" + CertNames.label(
                                chain.certificates().get(at)) + ") did not issue certificate " + at + " ("
                                + CertNames.label(chain.certificates().get(at - 1)) + "): the server's certificate "
                                + "comes first, then each issuer in turn.")
                        .evidence(s.certPath(), Words.describe(chain.certificates().get(at - 1)))
                        .evidence(s.certPath(), Words.describe(chain.certificates().get(at)))
                        .fix(Fix.command("openssl crl2pkcs7 -nocrl -certfile " + ShellQuote.quote(s.certPath())
                                + " | openssl pkcs7 -print_certs -noout"))
                        .fix(Fix.directive(s.certificate().text(), s.certificate().at()))
                        .build());
            }
            case SELF_SIGNED -> notes.add(label + " is self-signed: only clients told to trust it accept it");
            case COMPLETE -> {
                // nothing to say
            }
        }
        names(s, leaf, label);
        key.ifPresent(k -> key(s, k, leaf, label));
    }

    private void names(ServedCert s, X509Certificate leaf, String label) {
        List<String> certNames = CertNames.of(leaf);
        Set<String> uncovered = new LinkedHashSet<>();
        Optional<Directive> at = Optional.empty();
        for (ServedCert.Server server : s.servers()) {
            for (String n : server.names()) {
                Optional<String> host = hostName(n);
                if (host.isPresent() && !CertNames.covers(certNames, host.get())) {
                    uncovered.add(host.get());
                    at = at.or(server::serverName);
                }
            }
        }
        if (uncovered.isEmpty()) {
            return;
        }
        Cause.Builder b = Cause.of("name-mismatch", "The certificate does not cover the server's name")
                .confidence(Confidence.LIKELY)
                .detail(s.certPath() + " is valid for " + Words.shown(certNames) + ", but nginx serves it for "
                        + String.join(", ", uncovered) + ": clients asking for " + (uncovered.size() == 1 ? "that name"
                        : "those names") + " get a certificate name error.")
                .evidence(s.certPath(), Words.describe(leaf));
        at.ifPresent(d -> b.evidence("server_name", d.text() + " (" + d.at() + ")"));
        List<String> wanted = new ArrayList<>(certNames);
        uncovered.forEach(u -> {
            if (!wanted.contains(u)) {
                wanted.add(u);
            }
        });
        Remedies.request(s, wanted).ifPresent(b::fix);
        b.fix(Fix.directive(s.certificate().text(), s.certificate().at()));
        count(Kind.NAME_MISMATCH, s.certPath(), b.build());
    }

    private void key(ServedCert s, HostCerts.KeyRead k, X509Certificate leaf, String label) {
        String keyAt = s.key().map(d -> " (ssl_certificate_key at " + d.at() + ")").orElse("");
        if (k.problem().isPresent()) {
            notes.add("the key " + k.path() + keyAt + " was not compared with its certificate: " + k.problem().get()
                    + ". Allow reading its public half: chatops ALL=(root) NOPASSWD: /usr/bin/openssl pkey -in "
                    + k.path() + " -pubout");
            return;
        }
        if (Arrays.equals(k.publicKey().orElseThrow(), leaf.getPublicKey().getEncoded())) {
            return;
        }
        Cause.Builder b = Cause.of("key-mismatch", "The certificate and its key do not match")
                .confidence(Confidence.CERTAIN)
                .detail(s.certPath() + " and " + k.path() + " are not a pair: nginx refuses this config (\"key "
                        + "values mismatch\"), so the next reload or restart fails; a running nginx still serves the "
                        + "pair it loaded before.")
                .evidence(s.certPath(), Words.describe(leaf))
                .evidence(k.path(), "its public key differs from the certificate's");
        s.key().ifPresent(d -> b.evidence("ssl_certificate_key", d.text() + " (" + d.at() + ")"));
        b.fix(Fix.command("openssl x509 -noout -pubkey -in " + ShellQuote.quote(s.certPath()) + " | openssl sha256; "
                + "openssl pkey -pubout -in " + ShellQuote.quote(k.path()) + " | openssl sha256"));
        s.key().ifPresent(d -> b.fix(Fix.directive(d.text(), d.at())));
        count(Kind.KEY_MISMATCH, s.certPath(), b.build());
    }

    // ---- upstreams -----------------------------------------------------------------------------------

    private void upstream(UpstreamTls u, HostCerts.Presented p) {
        String where = u.label() + " (proxy_pass at " + u.pass().at() + ")";
        if (p.problem().isPresent()) {
            unread.add("upstream " + where + ": " + p.problem().get());
            return;
        }
        Chain chain = new Chain(p.certificates().certificates());
        X509Certificate leaf = chain.leaf();
        String label = CertNames.label(leaf) + " (upstream " + u.address() + ")";
        checked.add(label);
        String key = "upstream " + u.address() + " " + u.name();
        double weight = u.verifies() ? Confidence.LIKELY : Confidence.UNCHECKED;
        String consequence = u.verifies() ? "nginx verifies it (proxy_ssl_verify on), so requests there fail with 502"
                : "nginx does not verify it (proxy_ssl_verify off), so requests still pass, unauthenticated";
        Fix confirm = Fix.command("openssl s_client -connect " + ShellQuote.quote(u.address())
                + (u.sni() ? " -servername " + ShellQuote.quote(u.name()) : "")
                + " </dev/null 2>/dev/null | openssl x509 -noout -subject -enddate -ext subjectAltName");
        expiryUpstream(chain, label, key, u, consequence, confirm);
        if (chain.shape() == Chain.Shape.MISSING_INTERMEDIATE || chain.shape() == Chain.Shape.WRONG_ORDER) {
            count(Kind.CHAIN, key, Cause.of("upstream-chain-incomplete", "An HTTPS upstream sends an incomplete chain")
                    .confidence(u.verifies() ? Confidence.LIKELY : Confidence.UNCHECKED)
                    .detail(u.label() + " sends " + chain.certificates().size() + " certificate(s) that do not lead "
                            + "to a CA certificate (missing: " + chain.missingIssuer() + "); " + consequence
                            + ". Fix the chain on the upstream server.")
                    .evidence("upstream " + u.address(), Words.describe(leaf))
                    .evidence("proxy_pass", u.pass().text() + " (" + u.pass().at() + ")")
                    .fix(confirm)
                    .build());
        } else if (chain.shape() == Chain.Shape.SELF_SIGNED) {
            notes.add(label + " is self-signed" + (u.verifies() ? ": proxy_ssl_trusted_certificate must hold it" : ""));
        }
        List<String> certNames = CertNames.of(leaf);
        if (!CertNames.covers(certNames, u.name())) {
            Cause.Builder b = Cause.of("upstream-name-mismatch",
                            "An HTTPS upstream's certificate does not cover the name nginx expects")
                    .confidence(weight)
                    .detail(u.label() + " presented a certificate for " + Words.shown(certNames) + ", not " + u.name()
                            + (u.sendsName() ? "" : " (nginx sends no name, proxy_ssl_server_name is off, so the "
                            + "upstream answers with its default certificate)") + "; " + consequence + ".")
                    .evidence("upstream " + u.address(), Words.describe(leaf))
                    .evidence("proxy_pass", u.pass().text() + " (" + u.pass().at() + ")");
            u.nameSetting().ifPresent(d -> b.evidence("proxy_ssl_name", d.text() + " (" + d.at() + ")"));
            if (!u.sendsName()) {
                b.fix(Fix.directive("proxy_ssl_server_name on;", u.pass().at()));
            }
            certNames.stream().filter(n -> DNS_NAME.matcher(n).matches() && !n.startsWith("*.")).findFirst()
                    .ifPresent(n -> b.fix(Fix.directive("proxy_ssl_name " + n + ";",
                            u.nameSetting().map(Directive::at).orElse(u.pass().at()))));
            b.fix(confirm);
            count(Kind.NAME_MISMATCH, key, b.build());
        }
    }

    // ---- expiry --------------------------------------------------------------------------------------

    private void expiry(Chain chain, String label, String use, List<Fix> fixes) {
        for (X509Certificate c : chain.certificates()) {
            boolean leaf = c == chain.leaf();
            String which = leaf ? "the certificate " + label : "the intermediate " + CertNames.label(c) + " in " + label;
            timing(c, which, use, leaf ? label : which, "", fixes, Confidence.CERTAIN, Confidence.SOON);
        }
    }

    private void expiryUpstream(Chain chain, String label, String key, UpstreamTls u, String consequence, Fix confirm) {
        for (X509Certificate c : chain.certificates()) {
            boolean leaf = c == chain.leaf();
            String which = leaf ? "the certificate " + label
                    : "the intermediate " + CertNames.label(c) + " sent by upstream " + u.address();
            timing(c, which, "presented to nginx by " + u.label() + " (proxy_pass at " + u.pass().at() + ")", key,
                    "upstream-", List.of(confirm), u.verifies() ? Confidence.CERTAIN : Confidence.UNCHECKED,
                    u.verifies() ? Confidence.SOON : Confidence.UNCHECKED);
        }
    }

    private void timing(X509Certificate c, String which, String use, String countKey, String idPrefix, List<Fix> fixes,
                        double expiredWeight, double soonWeight) {
        Instant end = c.getNotAfter().toInstant();
        Instant start = c.getNotBefore().toInstant();
        long days = Words.daysLeft(now, c);
        if (end.isBefore(now)) {
            Cause.Builder b = Cause.of(idPrefix + "cert-expired", idPrefix.isEmpty() ? "A certificate nginx serves "
                            + "has expired" : "An HTTPS upstream's certificate has expired")
                    .confidence(expiredWeight)
                    .detail(Words.capital(which) + ", " + use + ", expired on " + Words.DAY.format(end) + " (" + Words.daysAgo(now, c)
                            + " days ago): clients refuse it.")
                    .evidence(which, Words.describe(c));
            fixes.forEach(b::fix);
            count(Kind.EXPIRED, countKey, b.build());
        } else if (start.isAfter(now)) {
            Cause.Builder b = Cause.of(idPrefix + "cert-not-yet-valid", "A certificate is not valid yet")
                    .confidence(Confidence.LIKELY)
                    .detail(Words.capital(which) + ", " + use + ", is valid only from " + Words.DAY.format(start)
                            + ": clients refuse it until then (or the host's clock is wrong).")
                    .evidence(which, Words.describe(c));
            fixes.forEach(b::fix);
            count(Kind.NOT_YET_VALID, countKey, b.build());
        } else if (end.isBefore(now.plus(Duration.ofDays(warnDays)))) {
            Cause.Builder b = Cause.of(idPrefix + "cert-expiring", "A certificate expires within " + warnDays + " days")
                    .confidence(soonWeight)
                    .detail(Words.capital(which) + ", " + use + ", expires on " + Words.DAY.format(end) + " (in " + days
                            + " days; the warning starts " + warnDays + " days before).")
                    .evidence(which, Words.describe(c));
            fixes.forEach(b::fix);
            count(Kind.EXPIRING, countKey, b.build());
        } else if (soonest.isEmpty() || c.getNotAfter().before(soonest.get().getNotAfter())) {
            soonest = Optional.of(c);
            soonestLabel = which;
        }
    }

    private void count(Kind kind, String key, Cause cause) {
        counted.computeIfAbsent(kind, k -> new LinkedHashSet<>()).add(key);
        // one certificate served under several names, or an upstream reached through several locations, is one cause
        if (causes.stream().noneMatch(c -> c.id().equals(cause.id()) && c.detail().equals(cause.detail()))) {
            causes.add(cause);
        }
    }

    /** A name of {@code server_name} a client can ask for, or empty for catch-alls, regexes and variables. */
    private static Optional<String> hostName(String n) {
        String h = n.startsWith(".") ? n.substring(1) : n;
        if (h.isEmpty() || h.equals("_") || h.startsWith("~") || h.contains("$") || h.contains("*") && !h.startsWith("*.")
                || h.endsWith(".*")) {
            return Optional.empty();
        }
        String lower = h.toLowerCase(java.util.Locale.ROOT);
        return DNS_NAME.matcher(lower).matches() ? Optional.of(lower) : Optional.empty();
    }

    private static String servedFor(ServedCert s) {
        List<String> names = s.servers().stream().flatMap(v -> v.names().stream()).map(TlsRules::hostName)
                .flatMap(Optional::stream).distinct().limit(4).toList();
        String first = s.servers().get(0).block().file() + ":" + s.servers().get(0).block().line();
        return names.isEmpty() ? "the server at " + first : String.join(", ", names);
    }

    /** "2 certificates expire within 14 days; 1 certificate has expired", most serious first. */
    public static String summary(Map<Kind, Set<String>> counted, int warnDays) {
        List<String> parts = new ArrayList<>();
        for (Kind k : Kind.values()) {
            int n = counted.getOrDefault(k, Set.of()).size();
            if (n > 0) {
                parts.add(n + (n == 1 ? " certificate " + k.one : " certificates " + k.many).formatted(warnDays));
            }
        }
        return String.join("; ", parts);
    }
}
