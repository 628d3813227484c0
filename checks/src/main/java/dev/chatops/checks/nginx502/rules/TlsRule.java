package dev.chatops.checks.nginx502.rules;

import dev.chatops.checks.nginx502.finding.CauseId;
import dev.chatops.checks.nginx502.finding.Confidence;
import dev.chatops.checks.nginx502.finding.Finding;
import dev.chatops.checks.nginx502.fix.Places;
import dev.chatops.checks.nginx502.fix.Words;
import dev.chatops.checks.nginx502.incident.Failure;
import dev.chatops.checks.nginx502.incident.Incident;
import dev.chatops.checks.nginx502.incident.Texts;
import dev.chatops.checks.nginx502.parse.host.TrustFiles;
import dev.chatops.checks.nginx502.parse.host.UpstreamChecks;
import dev.chatops.core.shell.ShellQuote;
import dev.chatops.core.spi.Fix;
import dev.chatops.core.spi.Location;
import dev.chatops.nginx.config.Directive;
import dev.chatops.nginx.config.Endpoint;
import dev.chatops.nginx.log.ErrorKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TLS to the backend: the certificate does not verify ({@code upstream-ssl-verify}), or the handshake
 * itself fails (SNI not sent, no common protocol or cipher: {@code upstream-ssl-handshake}). HTTPS to a
 * plain-HTTP port is a protocol mismatch, left to that rule.
 */
final class TlsRule implements Rule {

    @Override
    public Set<CauseId> produces() {
        return Set.of(CauseId.SSL_HANDSHAKE, CauseId.SSL_VERIFY);
    }

    private static final Pattern CN = Pattern.compile("CN\\s*=\\s*([^,/]+)");

    @Override
    public List<Finding> apply(Incident in) {
        List<Finding> out = new ArrayList<>();
        for (Failure f : in.failures(ErrorKind.SSL_VERIFY)) {
            out.add(verify(in, f));
        }
        for (Failure f : in.failures(ErrorKind.SSL_HANDSHAKE)) {
            String msg = f.last().message().toLowerCase(Locale.ROOT);
            Optional<UpstreamChecks.TcpResult> probe = ProtocolRule.tcp(in, f);
            if (msg.contains("wrong version number") || msg.contains("packet length too long")
                    || msg.contains("http request") || probe.map(p -> p.speaksHttp() && !p.speaksTls()).orElse(false)) {
                continue;
            }
            out.add(handshake(in, f, msg));
        }
        return out;
    }

    /**
     * What is known about a certificate that does not verify: the directives in effect where it failed, the name
     * it was issued for, and whether the CA files they name exist on the host.
     *
     * @param name          the name in its certificate, else the host nginx passes to, else a placeholder
     * @param trustedPath   the CA file nginx trusts there, as an absolute path
     * @param proposed      the CA file a fix proposes beside nginx.conf
     */
    private record Verification(String module, String msg, int code, Optional<UpstreamChecks.TcpResult> probe,
                                Optional<Directive> verifyOn, Optional<Directive> trusted, Optional<Directive> sslName,
                                Optional<Location> place, String name, Optional<String> trustedPath,
                                Optional<UpstreamChecks.FileResult> trustedFile, String proposed) {

        static Verification of(Incident in, Failure f) {
            String module = TlsRule.module(f);
            String msg = f.last().message();
            Optional<UpstreamChecks.TcpResult> probe = ProtocolRule.tcp(in, f);
            Optional<String> cn = probe.flatMap(UpstreamChecks.TcpResult::subject).map(CN::matcher)
                    .filter(Matcher::find).map(m -> m.group(1).strip());
            Optional<Directive> trusted = Places.effective(f.location(), f.server(), module + "_ssl_trusted_certificate");
            String name = cn.orElse(f.peer().map(p -> p.endpoint().bareHost()).filter(h -> !f.peer().get().endpoint()
                    .isIpLiteral()).orElse("<the name in its certificate>"));
            Optional<String> trustedPath = trusted.flatMap(d -> d.arg(0)).map(p -> TrustFiles.absolute(in.config(), p));
            return new Verification(module, msg, TlsRule.code(msg), probe,
                    Places.effective(f.location(), f.server(), module + "_ssl_verify"), trusted,
                    Places.effective(f.location(), f.server(), module + "_ssl_name"),
                    Places.inLocation(f.location(), f.target(), module + "_ssl_trusted_certificate"), name,
                    trustedPath, trustedPath.flatMap(in.host().upstreams()::file), TrustFiles.proposedCa(in.config()));
        }

        /** Outside its validity period: no CA file or name changes that. */
        boolean outsideValidity() {
            return code == 9 || code == 10;
        }

        boolean trustedMissing() {
            return trustedFile.map(UpstreamChecks.FileResult::missing).orElse(false);
        }
    }

    private Finding verify(Incident in, Failure f) {
        Verification v = Verification.of(in, f);
        String module = v.module();
        Finding.Builder b = Finding.of(CauseId.SSL_VERIFY, Confidence.PROVEN)
                .headline(f.serverName() + " → " + f.upstreamLabel() + ": the backend's certificate does not verify ("
                        + reason(v.msg()) + ")")
                .detail(verifyDetail(f, v))
                .evidence(f);
        v.probe().flatMap(UpstreamChecks.TcpResult::verify).ifPresent(x -> b.evidence("openssl s_client "
                + f.endpoint().map(Endpoint::key).orElse(""), "Verify return code: " + x, 1));
        if (v.trustedMissing()) {
            b.evidence("stat " + v.trustedPath().get(), v.trustedPath().get() + " does not exist", 1);
        }
        if (v.outsideValidity()) {
            // the subject is whatever the backend's certificate says: shown, never as shell syntax
            b.fix(Fix.command("renew the certificate of " + f.endpoint().map(Endpoint::key).map(Words::shown)
                    .orElse("the backend")
                    + v.probe().flatMap(UpstreamChecks.TcpResult::subject).map(x -> " (" + Words.shown(x) + ")")
                    .orElse("") + ": it is " + (v.code() == 10 ? "expired" : "not valid yet")
                    + " (check the backend's clock too)"));
            in.clientsGot(f.server()).ifPresent(c -> b.evidence(in.accessSource(), c, 1));
            return b.build();
        }
        if (v.code() == 22) {
            int depth = Places.effective(f.location(), f.server(), module + "_ssl_verify_depth").flatMap(d -> d.arg(0))
                    .filter(x -> x.matches("\\d{1,3}")).map(Integer::parseInt).orElse(1);
            Places.inLocation(f.location(), f.target(), module + "_ssl_verify_depth").ifPresent(p -> b.fix(Fix.directive(
                    module + "_ssl_verify_depth " + Math.max(3, depth + 1) + ";    # the chain is longer than "
                            + depth + " (nginx's default is 1)", p)));
        }
        if (v.place().isPresent() && !v.msg().contains("does not match") && v.code() != 22) {
            trustFixes(in, v, v.place().get(), b);
        }
        // the name nginx checks is proxy_ssl_name, by default the host in proxy_pass: an address never matches
        boolean nameMatches = v.sslName().flatMap(d -> d.arg(0)).or(() -> f.peer().filter(p -> !p.endpoint()
                .isIpLiteral()).map(p -> p.endpoint().bareHost())).map(n -> n.equalsIgnoreCase(v.name())).orElse(false);
        if (!nameMatches) {
            v.place().ifPresent(p -> b.fix(Fix.directive(module + "_ssl_name " + v.name() + ";",
                    Places.inLocation(f.location(), f.target(), module + "_ssl_name").orElse(p))));
        }
        in.clientsGot(f.server()).ifPresent(c -> b.evidence(in.accessSource(), c, 1));
        return b.build();
    }

    private static String verifyDetail(Failure f, Verification v) {
        String module = v.module();
        StringBuilder detail = new StringBuilder("nginx verifies the upstream's certificate (" + module
                + "_ssl_verify on" + v.verifyOn().map(d -> " at " + d.file() + ":" + d.line()).orElse("")
                + ") and it fails: \"" + v.msg().replaceFirst(" while SSL handshaking to upstream$", "") + "\", "
                + Texts.times(f.count())
                + v.probe().flatMap(UpstreamChecks.TcpResult::subject).map(s -> "; the certificate is " + s).orElse("")
                + ".");
        v.trusted().ifPresent(d -> detail.append(" The CAs nginx trusts here are ").append(d.arg(0).orElse(""))
                .append(" (").append(d.file()).append(':').append(d.line()).append(")")
                .append(v.trustedFile().filter(UpstreamChecks.FileResult::missing).map(x -> ", a file that does not "
                        + "exist on this host any more: the next reload will fail until it does").orElse(""))
                .append(v.trustedFile().filter(UpstreamChecks.FileResult::exists).map(x -> ", and they do not include "
                        + "the one that signed it").orElse("")).append('.'));
        detail.append(" Give nginx the CA that signed it and the name it was issued for. Turning verification off "
                + "(" + module + "_ssl_verify off) only hides the problem: test systems only.");
        return detail.toString();
    }

    /** The CA file to trust: the host's bundle for a public CA, and the file beside nginx.conf for a private one. */
    private static void trustFixes(Incident in, Verification v, Location p, Finding.Builder b) {
        String module = v.module();
        String proposed = v.proposed();
        UpstreamChecks files = in.host().upstreams();
        // a public CA's chain: the host's own bundle, when it has one and the location does not use it yet
        Optional<String> bundle = TrustFiles.systemBundle(files).filter(x -> !v.trustedPath().map(x::equals)
                .orElse(false));
        int code = v.code();
        if ((code == 2 || code == 20 || code == 21) && bundle.isPresent()) {
            b.fix(Fix.directive(module + "_ssl_trusted_certificate " + bundle.get() + ";    # exists on this host: "
                    + "the public CAs, if a public CA issued it", p));
        }
        if (v.trustedPath().map(proposed::equals).orElse(false)) {
            b.fix(Fix.command("add the CA certificate that signed " + Words.shown(v.name()) + " to "
                    + Words.shown(proposed) + (v.trustedMissing() ? " (the file does not exist on this host: create it)"
                    : "") + ", then reload nginx"));
            return;
        }
        String name = v.name();
        Optional<UpstreamChecks.FileResult> at = files.file(proposed);
        String note = at.map(r -> r.exists() ? "# exists on this host: make sure it holds the CA that signed "
                + name : r.missing() ? "# " + proposed + " does not exist on this host yet: save the CA "
                + "certificate that signed " + name + " there first (a self-signed certificate is its own CA)"
                : "# the CA that signed " + name + "; create the file if it does not exist")
                .orElse("# the CA that signed " + name + "; create the file if it does not exist");
        b.fix(Fix.directive(module + "_ssl_trusted_certificate " + proposed + ";    " + note, p));
        at.filter(UpstreamChecks.FileResult::missing).ifPresent(r -> b.evidence("stat " + proposed,
                proposed + " does not exist", 1));
    }

    /** OpenSSL's verify result number in nginx's message ({@code (18:self-signed certificate)}), or -1. */
    private static int code(String msg) {
        Matcher m = Pattern.compile("\\((\\d{1,3}):").matcher(msg);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static String reason(String msg) {
        Matcher m = Pattern.compile("\\((\\d+:[^)]*)\\)").matcher(msg);
        if (m.find()) {
            return m.group(1);
        }
        return msg.contains("does not match") ? "name mismatch" : "verify error";
    }

    /**
     * What a failed handshake is about, decided from the config, the message and the follow-up's handshakes: a
     * missing SNI, a protocol list the backend does not share, or neither.
     *
     * @param sniName         the name nginx would send: proxy_ssl_name, else the host of proxy_pass
     * @param allowed         the protocols the location allows (its directive, else nginx's default)
     * @param wanted          the protocol list a fix would set: TLSv1.2 and TLSv1.3, and what the backend speaks
     * @param backendSpeaks   the protocol the backend settled on with this host
     * @param protocolMsg     nginx's message is about protocols or ciphers
     * @param protocolRuledOut the location already allows what the backend speaks
     * @param sniRuledOut     a handshake from this host to the address, without SNI, completes
     * @param sniWorks        a handshake from this host that names the backend completes
     */
    private record Handshake(String module, Optional<Directive> sni, boolean sniOn, Optional<String> sniName,
                             Optional<Directive> protocolsDir, List<String> allowed, List<String> wanted,
                             Optional<String> backendSpeaks, boolean protocolMsg, boolean protocolRuledOut,
                             boolean sniRuledOut, boolean sniWorks) {

        static Handshake of(Incident in, Failure f, String msg) {
            String module = TlsRule.module(f);
            Optional<UpstreamChecks.TcpResult> probe = ProtocolRule.tcp(in, f);
            Optional<Directive> sni = Places.effective(f.location(), f.server(), module + "_ssl_server_name");
            Optional<String> sniName = Places.effective(f.location(), f.server(), module + "_ssl_name")
                    .flatMap(d -> d.arg(0)).filter(n -> !n.contains("$"))
                    .or(() -> f.target().flatMap(t -> t.upstream()).map(u -> u.name()))
                    .or(() -> f.target().flatMap(t -> t.peers().stream().findFirst()).map(p -> p.endpoint())
                            .filter(e -> !e.isUnix() && !e.isIpLiteral()).map(Endpoint::bareHost));
            boolean protocolMsg = msg.contains("unsupported protocol") || msg.contains("no protocols available")
                    || msg.contains("version too low") || msg.contains("protocol version")
                    || msg.contains("no shared cipher") || msg.contains("no ciphers available");
            Optional<Directive> protocolsDir = Places.effective(f.location(), f.server(), module + "_ssl_protocols");
            List<String> allowed = protocolsDir.map(Directive::args).orElse(defaultProtocols(in.instance().version()));
            // the follow-up names a host in its handshake (SNI) when the config names it: that probe says what SNI
            // does
            Optional<UpstreamChecks.TcpResult> named = f.peer().map(p -> p.endpoint())
                    .filter(e -> !e.isUnix() && !e.isIpLiteral()).flatMap(e -> in.host().upstreams().tcp(e));
            Optional<String> backendSpeaks = named.flatMap(TlsRule::negotiated)
                    .or(() -> probe.flatMap(TlsRule::negotiated));
            // what the backend spoke to this host, when nginx does not allow it, is the protocol to add
            List<String> wanted = new ArrayList<>(List.of("TLSv1.2", "TLSv1.3"));
            backendSpeaks.filter(p -> !wanted.contains(p)).ifPresent(p -> wanted.add(0, p));
            boolean protocolRuledOut = backendSpeaks.map(allowed::contains).orElse(false) || allowed.containsAll(wanted);
            // the follow-up's handshake to an address sends no SNI: when it completes, SNI is not what fails
            boolean sniRuledOut = probe.map(UpstreamChecks.TcpResult::speaksTls).orElse(false)
                    && f.endpoint().map(Endpoint::isIpLiteral).orElse(false);
            boolean sniWorks = sniName.isPresent() && named.map(UpstreamChecks.TcpResult::speaksTls).orElse(false);
            return new Handshake(module, sni, sni.flatMap(d -> d.arg(0)).map("on"::equals).orElse(false), sniName,
                    protocolsDir, allowed, List.copyOf(wanted), backendSpeaks, protocolMsg, protocolRuledOut,
                    sniRuledOut, sniWorks);
        }

        boolean byName() {
            return sniName.isPresent();
        }

        boolean offerProtocols() {
            return !protocolRuledOut;
        }

        boolean offerSni() {
            return !sniOn && !sniRuledOut;
        }

        /** SNI leads when it is offered, the backend is named, and the message is not about protocols nginx lacks. */
        boolean sniFirst() {
            return offerSni() && byName() && !(protocolMsg && offerProtocols());
        }
    }

    private Finding handshake(Incident in, Failure f, String msg) {
        Handshake h = Handshake.of(in, f, msg);
        String module = h.module();
        Finding.Builder b = Finding.of(CauseId.SSL_HANDSHAKE, h.sniFirst() && h.sniWorks() ? Confidence.HIGH
                        : Confidence.PROBABLE)
                .headline(f.serverName() + " → " + f.upstreamLabel() + ": the TLS handshake fails"
                        + (h.sniFirst() ? " (no SNI sent)" : ""))
                .detail(handshakeDetail(f, h))
                .evidence(f);
        if (h.sniWorks()) {
            b.evidence("openssl s_client -servername " + h.sniName().get() + " " + f.peer().get().endpoint().key(),
                    "handshake completed"
                    + h.backendSpeaks().map(p -> " (" + p + ")").orElse(""), 1);
        }
        List<Fix> sniFixes = new ArrayList<>();
        if (h.offerSni()) {
            Places.inLocation(f.location(), f.target(), module + "_ssl_server_name")
                    .ifPresent(p -> sniFixes.add(Fix.directive(module + "_ssl_server_name on;", p)));
            if (!h.byName()) {
                f.target().ifPresent(t -> sniFixes.add(Fix.directive(module + "_ssl_name <the backend's host name>;",
                        t.directive().at())));
            }
        }
        List<Fix> protocolFixes = new ArrayList<>();
        if (h.offerProtocols()) {
            Places.inLocation(f.location(), f.target(), module + "_ssl_protocols").ifPresent(p -> protocolFixes.add(
                    Fix.directive(module + "_ssl_protocols " + String.join(" ", h.wanted()) + ";", p)));
        }
        if (h.sniFirst()) {
            sniFixes.forEach(b::fix);
            protocolFixes.forEach(b::fix);
        } else {
            protocolFixes.forEach(b::fix);
            sniFixes.forEach(b::fix);
        }
        if (msg.contains("certificate verify failed") || msg.contains("unable to get local issuer")) {
            Places.inLocation(f.location(), f.target(), module + "_ssl_verify_depth").ifPresent(p -> b.fix(
                    Fix.directive(module + "_ssl_verify_depth 3;    # the default of 1 stops at intermediate CAs", p)));
        }
        if (!h.offerSni() && !h.offerProtocols()) {
            b.fix(Fix.command("openssl s_client -connect " + ShellQuote.quote(f.endpoint().map(Endpoint::key).orElse("?"))
                    + h.sniName().map(n -> " -servername " + ShellQuote.quote(n)).orElse("")
                    + " -brief </dev/null    # what the backend refuses: ciphers, a client certificate, its own limits"));
        }
        in.clientsGot(f.server()).ifPresent(c -> b.evidence(in.accessSource(), c, 1));
        return b.build();
    }

    private static String handshakeDetail(Failure f, Handshake h) {
        StringBuilder detail = new StringBuilder("\"" + f.last().message().replaceFirst(" while SSL handshaking to "
                + "upstream$", "") + "\", " + Texts.times(f.count()) + " " + Texts.span(f.first(), f.last()) + ".");
        String speaks = h.backendSpeaks().map(p -> ", and the backend speaks " + p + " to this host").orElse("");
        if (h.protocolsDir().isPresent() && h.protocolRuledOut()) {
            detail.append(" The location already allows ").append(String.join(" ", h.allowed())).append(" (")
                    .append(h.protocolsDir().get().file()).append(':').append(h.protocolsDir().get().line())
                    .append(")").append(speaks).append(": the protocol list is not what fails.");
        } else if (h.protocolRuledOut()) {
            detail.append(" nginx allows ").append(String.join(" ", h.allowed())).append(" by default")
                    .append(speaks).append(": the protocol list is not what fails.");
        } else if (h.protocolMsg()) {
            detail.append(" nginx and the backend share no TLS version or cipher: nginx allows ")
                    .append(String.join(" ", h.allowed())).append(h.protocolsDir().map(d -> " (" + d.file() + ":"
                            + d.line() + ")").orElse(" (its default)")).append(h.backendSpeaks().map(p -> ", the "
                            + "backend speaks " + p).orElse("")).append('.');
        }
        if (h.sniOn()) {
            detail.append(" SNI is on (").append(h.sni().get().file()).append(':').append(h.sni().get().line())
                    .append("); the backend still refuses the handshake: check its TLS settings.");
        } else if (h.sniRuledOut()) {
            detail.append(" A handshake from this host without SNI completes, so SNI is not what fails.");
        } else if (h.byName()) {
            detail.append(" nginx does not send SNI to upstreams unless ").append(h.module())
                    .append("_ssl_server_name is on")
                    .append(h.sni().map(d -> " (it is off at " + d.file() + ":" + d.line() + ")")
                            .orElse(" (it is not set)"))
                    .append(", so ").append(h.sniName().get()).append(" is never named in the handshake, and a backend "
                            + "serving several names (or a CDN) refuses it.");
            if (h.sniWorks()) {
                detail.append(" A handshake from this host that names ").append(h.sniName().get()).append(" succeeds")
                        .append(h.backendSpeaks().map(p -> " (" + p + ")").orElse("")).append('.');
            }
        } else {
            detail.append(" nginx does not send SNI to upstreams unless ").append(h.module()).append("_ssl_server_name "
                    + "is on, and it names the backend by address: give it the backend's host name as well.");
        }
        return detail.toString();
    }

    /** TLS to a backend is tuned by the directives of the module that passes to it. */
    private static String module(Failure f) {
        String m = f.module();
        return m.equals("grpc") || m.equals("uwsgi") ? m : "proxy";
    }

    /** nginx's default proxy_ssl_protocols: TLSv1.3 joined the list in 1.23.4. */
    static List<String> defaultProtocols(String version) {
        Matcher m = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)").matcher(version);
        boolean withTls13 = !m.find() || Integer.parseInt(m.group(1)) > 1 || Integer.parseInt(m.group(2)) > 23
                || Integer.parseInt(m.group(2)) == 23 && Integer.parseInt(m.group(3)) >= 4;
        return withTls13 ? List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3") : List.of("TLSv1", "TLSv1.1", "TLSv1.2");
    }

    /** The protocol the follow-up's handshake settled on ({@code New, TLSv1.3, Cipher is …}). */
    private static Optional<String> negotiated(UpstreamChecks.TcpResult t) {
        if (!t.speaksTls()) {
            return Optional.empty();
        }
        for (String l : t.tlsLines()) {
            Matcher m = Pattern.compile("^(?:New, |\\s*Protocol\\s*:\\s*)(TLSv1(?:\\.[0-3])?|SSLv3)\\b").matcher(l);
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }
}
