package dev.chatops.checks.tls.cert;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM text read from a host, decoded strictly: only complete {@code CERTIFICATE} and {@code PUBLIC KEY}
 * blocks of base64 are taken, each bounded, and what does not decode is counted, never guessed at.
 */
public final class Pem {

    /** More than any real chain; a file with more is cut here. */
    public static final int MAX_CERTIFICATES = 12;
    private static final int MAX_BLOCK = 64 * 1024;
    private static final Pattern CERT = Pattern.compile(
            "^-----BEGIN CERTIFICATE-----\\n([A-Za-z0-9+/=\\n]{1," + MAX_BLOCK + "}?)^-----END CERTIFICATE-----$",
            Pattern.MULTILINE);
    private static final Pattern PUBLIC_KEY = Pattern.compile(
            "^-----BEGIN PUBLIC KEY-----\\n([A-Za-z0-9+/=\\n]{1," + MAX_BLOCK + "}?)^-----END PUBLIC KEY-----$",
            Pattern.MULTILINE);

    /** The certificates of a text, in order, and how many blocks could not be decoded. */
    public record Certificates(List<X509Certificate> certificates, int unreadable) {
        public Certificates {
            certificates = List.copyOf(certificates);
        }

        public boolean isEmpty() {
            return certificates.isEmpty();
        }
    }

    private Pem() {
    }

    public static Certificates certificates(String text) {
        List<X509Certificate> out = new ArrayList<>();
        int bad = 0;
        Matcher m = CERT.matcher(text);
        while (m.find() && out.size() + bad < MAX_CERTIFICATES) {
            Optional<X509Certificate> c = decode(m.group(1)).flatMap(Pem::x509);
            if (c.isPresent()) {
                out.add(c.get());
            } else {
                bad++;
            }
        }
        return new Certificates(out, bad);
    }

    /** The DER of the first {@code PUBLIC KEY} block (a SubjectPublicKeyInfo), if one decodes. */
    public static Optional<byte[]> publicKey(String text) {
        Matcher m = PUBLIC_KEY.matcher(text);
        return m.find() ? decode(m.group(1)) : Optional.empty();
    }

    private static Optional<byte[]> decode(String base64) {
        try {
            return Optional.of(Base64.getMimeDecoder().decode(base64));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<X509Certificate> x509(byte[] der) {
        try {
            CertificateFactory f = CertificateFactory.getInstance("X.509");
            return Optional.of((X509Certificate) f.generateCertificate(new ByteArrayInputStream(der)));
        } catch (CertificateException | ClassCastException e) {
            return Optional.empty();
        }
    }
}
