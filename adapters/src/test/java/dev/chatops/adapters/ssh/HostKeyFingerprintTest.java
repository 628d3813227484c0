package dev.chatops.adapters.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Fingerprints must read exactly as {@code ssh-keygen -lf} prints them (known answers from it). */
class HostKeyFingerprintTest {

    @Test
    void ofBase64_ed25519_matchesSshKeygen() {
        HostKeyFingerprint f = HostKeyFingerprint.ofBase64(
                "AAAAC3NzaC1lZDI1NTE5AAAAIHluoTLH3DQEEiewtxzqU1nspRyJaj6lFixw1G6qruy7");

        assertEquals("ssh-ed25519", f.type());
        assertEquals("SHA256:BpMJlX0xCN533LwuEfW150LFDgobIauvI4/dRC5H5T0", f.sha256());
        assertEquals("ssh-ed25519 SHA256:BpMJlX0xCN533LwuEfW150LFDgobIauvI4/dRC5H5T0", f.toString());
        assertEquals("ed25519", f.keyscanType());
    }

    @Test
    void ofBase64_rsa_matchesSshKeygen() {
        HostKeyFingerprint f = HostKeyFingerprint.ofBase64("AAAAB3NzaC1yc2EAAAADAQABAAAAgQDmXHqw4wibJo1L3Xmhi30LWIREQ9"
                + "gGu68R2wT5w0I1mM1QWJTPjKj0CklVJ3aD21mOQGb5KJ6xlRgXnbhO9Np1ppOW5o2F4UnkW4D+A/s/HzQRwHVbrAYJGyPlmCSa6Dx5gZph"
                + "HsWH4eb8XTBgbrkuhdTpzVrh+TKSAaoL40Dn2Q==");

        assertEquals("ssh-rsa", f.type());
        assertEquals("SHA256:RwL2g5CvT0mDJTpG/4Aa/W6aVopi3jLGsS0kG8BVa54", f.sha256());
        assertEquals("rsa", f.keyscanType());
    }

    @Test
    void of_garbage_typeUnknownButStillHashed() {
        HostKeyFingerprint f = HostKeyFingerprint.of(new byte[] {1, 2});

        assertEquals("unknown", f.type());
        assertEquals("SHA256:", f.sha256().substring(0, 7));
    }
}
