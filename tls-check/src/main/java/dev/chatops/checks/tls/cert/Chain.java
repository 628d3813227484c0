package dev.chatops.checks.tls.cert;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * What a chain as sent (the server's certificate first, then what the server adds) says about itself.
 * Clients carry root certificates, not intermediates, so a chain is complete when it reaches a CA
 * certificate: one that ends in the server's own certificate alone, not issued by itself, leaves the client
 * to find its issuer.
 */
public record Chain(List<X509Certificate> certificates) {

    /** How a chain stands. */
    public enum Shape {
        /** The server's certificate, then each issuer in order, up to a CA certificate (or a self-signed one). */
        COMPLETE,
        /** The server's certificate alone, issued by a CA the server does not send. */
        MISSING_INTERMEDIATE,
        /** A certificate in the chain is not the issuer of the one before it. */
        WRONG_ORDER,
        /** The server's certificate is its own issuer: no client trusts it unless told to. */
        SELF_SIGNED
    }

    public Chain {
        certificates = List.copyOf(certificates);
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("a chain needs at least one certificate");
        }
    }

    public X509Certificate leaf() {
        return certificates.get(0);
    }

    public Shape shape() {
        X509Certificate leaf = leaf();
        if (selfIssued(leaf)) {
            return Shape.SELF_SIGNED;
        }
        for (int i = 1; i < certificates.size(); i++) {
            if (!issued(certificates.get(i), certificates.get(i - 1))) {
                return Shape.WRONG_ORDER;
            }
        }
        if (certificates.size() == 1) {
            return Shape.MISSING_INTERMEDIATE;
        }
        return Shape.COMPLETE;
    }

    /** The certificate at {@code index} that did not issue the one before it, for wording. */
    public Optional<Integer> firstBreak() {
        for (int i = 1; i < certificates.size(); i++) {
            if (!issued(certificates.get(i), certificates.get(i - 1))) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** The issuer the client is left to find: the last certificate's issuer. */
    public String missingIssuer() {
        return certificates.get(certificates.size() - 1).getIssuerX500Principal().getName();
    }

    static boolean selfIssued(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal()) && signedBy(c, c);
    }

    private static boolean issued(X509Certificate issuer, X509Certificate child) {
        return child.getIssuerX500Principal().equals(issuer.getSubjectX500Principal()) && signedBy(child, issuer);
    }

    private static boolean signedBy(X509Certificate child, X509Certificate issuer) {
        try {
            child.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
