package dev.chatops.checks.tls.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** PEM from a host is decoded strictly: what is not a whole, valid block counts as unreadable, never as a certificate. */
class PemTest {

    private static final String BEGIN = "-----BEGIN CERTIFICATE-----\n";
    private static final String END = "-----END CERTIFICATE-----\n";

    @Test
    void certificates_garbageBlocks_areCountedUnreadable() {
        Pem.Certificates c = Pem.certificates(BEGIN + "bm90IGEgY2VydGlmaWNhdGU=\n" + END + BEGIN + "%%%\n" + END
                + "-----BEGIN CERTIFICATE-----\nAAAA\n(no end)\n");

        assertTrue(c.isEmpty());
        assertEquals(1, c.unreadable());
    }

    @Test
    void certificates_manyBlocks_stopAtTheCap() {
        Pem.Certificates c = Pem.certificates((BEGIN + "AAAA\n" + END).repeat(100));

        assertEquals(Pem.MAX_CERTIFICATES, c.unreadable());
    }

    @Test
    void publicKey_onlyFromAPublicKeyBlock() {
        assertTrue(Pem.publicKey("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n").isEmpty());
        assertEquals(3, Pem.publicKey("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n").orElseThrow()
                .length);
    }
}
