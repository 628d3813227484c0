package dev.chatops.adapters.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.config.SshSettings;
import dev.chatops.core.host.Host;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.transport.TransportException;
import dev.chatops.core.transport.TransportException.Reason;
import dev.chatops.core.transport.TransportSession;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A host that stops answering, or drops off, in the middle of a run (a relay between the bot and
 * a real sshd plays it). JSch's channel reads never time out by themselves: each probe must still
 * end at its deadline and the session must close without hanging.
 */
class SshRunInterruptedTest extends RealSshdTest {

    private TcpRelay relay;
    private ScheduledExecutorService later;


    @BeforeEach
    void startRelay() throws Exception {
        relay = new TcpRelay(sshd.port());
        later = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stopRelay() throws Exception {
        later.shutdownNow();
        relay.close();
    }

    private TransportSession openViaRelay() {
        SshSettings settings = new SshSettings("root", sshd.userKey(), Optional.empty(),
                sshd.knownHosts("known_hosts_relay_" + relay.port(), "[127.0.0.1]:" + relay.port() + " ssh-ed25519 "
                        + sshd.hostKeyBlob() + "\n"),
                Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(60), false, Optional.empty());
        return new SshTransport(settings).open(Host.ssh("web-test", "127.0.0.1", relay.port(), Set.of()));
    }

    @Test
    void run_hostStopsAnsweringMidProbe_probeEndsAtItsTimeoutAndCloseReturns() throws Exception {
        TransportSession session = openViaRelay();
        later.schedule(relay::freeze, 400, TimeUnit.MILLISECONDS);

        long start = System.nanoTime();
        Map<String, ProbeResult> r = session.run(List.of(
                new Probe("stalled", "echo started; sleep 1; echo finished", Duration.ofSeconds(2), 1024, false)));
        long ms = (System.nanoTime() - start) / 1_000_000;

        ProbeResult stalled = r.get("stalled");
        assertEquals(ProbeResult.TIMED_OUT, stalled.exit(), stalled.stderr());
        assertEquals("started\n", stalled.stdout());
        assertTrue(ms >= 2000 && ms < 5000, "the probe ended after " + ms + " ms with a 2 s timeout");
        long closeStart = System.nanoTime();
        session.close();
        long closeMs = (System.nanoTime() - closeStart) / 1_000_000;
        assertTrue(closeMs < 3000, "close took " + closeMs + " ms");
    }

    @Test
    void run_connectionDropsMidRun_connectionLost() throws Exception {
        try (TransportSession session = openViaRelay()) {
            later.schedule(relay::drop, 400, TimeUnit.MILLISECONDS);

            long start = System.nanoTime();
            TransportException e = assertThrows(TransportException.class, () -> session.run(List.of(
                    new Probe("long", "sleep 5", Duration.ofSeconds(10), 1024, false))));
            long ms = (System.nanoTime() - start) / 1_000_000;

            assertEquals(Reason.CONNECTION_LOST, e.reason());
            assertTrue(e.getMessage().startsWith("lost the SSH connection to web-test (127.0.0.1:" + relay.port() + ")"),
                    e.getMessage());
            assertTrue(ms < 3000, "noticed after " + ms + " ms");
            // the session stays unusable, and says so
            assertEquals(Reason.CONNECTION_LOST, assertThrows(TransportException.class,
                    () -> session.run(List.of(Probe.of("again", "echo again")))).reason());
        }
    }
}
