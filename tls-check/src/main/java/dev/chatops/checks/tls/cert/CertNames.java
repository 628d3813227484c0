package dev.chatops.checks.tls.cert;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;

/** The names a certificate is valid for, and whether one of them covers a host name, as TLS clients match. */
public final class CertNames {

    private static final int DNS = 2;
    private static final int IP = 7;
    private static final Pattern CN = Pattern.compile("(?:^|,)CN=((?:[^,\\\\]|\\\\.){1,255})");

    private CertNames() {
    }

    /** The subjectAltName DNS and IP entries; with none, the subject's common name (as old clients read it). */
    public static List<String> of(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() >= 2 && san.get(0) instanceof Integer type && (type == DNS || type == IP)
                            && san.get(1) instanceof String v && out.size() < 200) {
                        out.add(v.toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // an unreadable extension names nothing
        }
        if (out.isEmpty()) {
            commonName(cert).ifPresent(cn -> out.add(cn.toLowerCase(Locale.ROOT)));
        }
        return List.copyOf(out);
    }

    public static java.util.Optional<String> commonName(X509Certificate cert) {
        Matcher m = CN.matcher(cert.getSubjectX500Principal().getName(X500Principal.RFC2253));
        return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    /** Whether {@code names} cover {@code host}: exactly, or by a wildcard for exactly one leftmost label. */
    public static boolean covers(List<String> names, String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        for (String n : names) {
            if (n.equals(h)) {
                return true;
            }
            if (n.startsWith("*.") && !h.startsWith("*.")) {
                int dot = h.indexOf('.');
                if (dot > 0 && h.substring(dot + 1).equals(n.substring(2))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A short way to name a certificate to people: its common name, else its first name, else its subject. */
    public static String label(X509Certificate cert) {
        return commonName(cert).or(() -> of(cert).stream().findFirst())
                .orElse(cert.getSubjectX500Principal().getName(X500Principal.RFC2253));
    }
}
