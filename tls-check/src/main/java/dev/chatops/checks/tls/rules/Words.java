package dev.chatops.checks.tls.rules;

import dev.chatops.checks.tls.cert.CertNames;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** How certificates and dates read in causes: the same words in every detail and evidence line. */
final class Words {

    static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private Words() {
    }

    static String describe(X509Certificate c) {
        return "subject " + c.getSubjectX500Principal().getName() + ", issuer " + c.getIssuerX500Principal().getName()
                + ", valid " + DAY.format(c.getNotBefore().toInstant()) + " to " + DAY.format(c.getNotAfter().toInstant())
                + ", names " + shown(CertNames.of(c));
    }

    static String shown(List<String> names) {
        if (names.isEmpty()) {
            return "no name";
        }
        List<String> firsts = names.stream().limit(6).toList();
        return String.join(", ", firsts) + (names.size() > 6 ? " and " + (names.size() - 6) + " more" : "");
    }

    static long daysLeft(Instant now, X509Certificate c) {
        return Math.floorDiv(c.getNotAfter().toInstant().getEpochSecond() - now.getEpochSecond(), 86_400L);
    }

    static long daysAgo(Instant now, X509Certificate c) {
        return Math.floorDiv(now.getEpochSecond() - c.getNotAfter().toInstant().getEpochSecond(), 86_400L);
    }

    static String capital(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
