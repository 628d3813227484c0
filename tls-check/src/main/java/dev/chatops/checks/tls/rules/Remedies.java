package dev.chatops.checks.tls.rules;

import dev.chatops.checks.tls.cert.CertNames;
import dev.chatops.checks.tls.target.ServedCert;
import dev.chatops.core.shell.ShellQuote;
import dev.chatops.core.spi.Fix;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The fixes for a served certificate: commands with paths quoted, and the directive with its file:line. */
final class Remedies {

    private static final Pattern LETSENCRYPT = Pattern.compile("(/etc/letsencrypt/live/[A-Za-z0-9._-]{1,200})/(cert|fullchain)\\.pem");

    private Remedies() {
    }

    /** Renewing: certbot for its own paths, else a request for the CA with the same key and names; then the line. */
    static List<Fix> renew(ServedCert s, X509Certificate leaf) {
        List<Fix> out = new ArrayList<>();
        Matcher le = LETSENCRYPT.matcher(s.certPath());
        if (le.matches()) {
            String name = le.group(1).substring(le.group(1).lastIndexOf('/') + 1);
            out.add(Fix.command("certbot renew --cert-name " + ShellQuote.quote(name) + " && nginx -t && systemctl "
                    + "reload nginx"));
        } else {
            request(s, CertNames.of(leaf)).ifPresent(out::add);
        }
        out.add(Fix.directive(s.certificate().text(), s.certificate().at()));
        return out;
    }

    /** A request for a new certificate with the same key and these names, for the CA. */
    static Optional<Fix> request(ServedCert s, List<String> names) {
        List<String> plain = names.stream().filter(n -> TlsRules.DNS_NAME.matcher(n).matches()).limit(20).toList();
        if (plain.isEmpty() || s.keyPath().isEmpty()) {
            return Optional.empty();
        }
        String san = String.join(",", plain.stream().map(n -> "DNS:" + n).toList());
        return Optional.of(Fix.command("openssl req -new -key " + ShellQuote.quote(s.keyPath().get()) + " -subj "
                + ShellQuote.quote("/CN=" + plain.get(0)) + " -addext " + ShellQuote.quote("subjectAltName=" + san)
                + " -out " + ShellQuote.quote(plain.get(0).replace("*.", "wildcard.") + ".csr")));
    }

    static Fix fullChain(ServedCert s) {
        Matcher le = LETSENCRYPT.matcher(s.certPath());
        if (le.matches()) {
            return Fix.command("ls -l " + ShellQuote.quote(le.group(1) + "/fullchain.pem"));
        }
        return Fix.command("cat " + ShellQuote.quote(s.certPath()) + " intermediate.pem > "
                + ShellQuote.quote(fullChainPath(s)) + "   # intermediate.pem: the issuer's certificate from the CA");
    }

    static Fix fullChainDirective(ServedCert s) {
        return Fix.directive("ssl_certificate " + fullChainPath(s) + ";", s.certificate().at());
    }

    private static String fullChainPath(ServedCert s) {
        Matcher le = LETSENCRYPT.matcher(s.certPath());
        if (le.matches()) {
            return le.group(1) + "/fullchain.pem";
        }
        String p = s.certPath();
        int dot = p.lastIndexOf('.');
        return (dot > p.lastIndexOf('/') ? p.substring(0, dot) : p) + ".fullchain.pem";
    }
}
