package dev.chatops.adapters.ssh;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Tests against a real OpenSSH sshd on loopback, started once per test class and stopped after it. */
abstract class RealSshdTest {

    static OpenSshServer sshd;

    @BeforeAll
    static void startSshd() throws Exception {
        sshd = OpenSshServer.start();
    }

    @AfterAll
    static void stopSshd() throws Exception {
        if (sshd != null) {
            sshd.close();
            sshd = null;
        }
    }
}
