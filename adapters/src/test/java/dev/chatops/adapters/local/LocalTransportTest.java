package dev.chatops.adapters.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.host.Host;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.transport.TransportSession;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalTransportTest {

    private Map<String, ProbeResult> run(Probe... probes) {
        try (TransportSession s = new LocalTransport(false).open(Host.local("localhost"))) {
            return s.run(List.of(probes));
        }
    }

    @Test
    void run_keepsExitStdoutAndStderrApart() {
        ProbeResult r = run(Probe.of("mixed", "echo out; echo err >&2; exit 3")).get("mixed");

        assertEquals(3, r.exit());
        assertEquals("out\n", r.stdout());
        assertEquals("err\n", r.stderr());
        assertFalse(r.truncated());
    }

    @Test
    void run_outputOverCap_isTruncatedAndMarked() {
        ProbeResult r = run(Probe.of("big", "head -c 100000 /dev/zero | tr '\\0' x").withMaxBytes(1000)).get("big");

        assertEquals(0, r.exit());
        assertEquals(1000, r.stdout().length());
        assertTrue(r.truncated());
    }

    @Test
    void run_probePastItsTimeout_isCutOff() {
        long start = System.nanoTime();
        ProbeResult r = run(Probe.of("slow", "sleep 30").withTimeout(Duration.ofMillis(300))).get("slow");

        assertEquals(ProbeResult.TIMED_OUT, r.exit());
        assertTrue(r.stderr().contains("timed out after 300 ms"), r.stderr());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10, "cut off long before sleep 30 ends");
    }

    @Test
    void run_severalProbes_resultsInDeclaredOrder() {
        Map<String, ProbeResult> results = run(Probe.of("b", "sleep 0.2; echo b"), Probe.of("a", "echo a"));

        assertEquals(List.of("b", "a"), List.copyOf(results.keySet()));
        assertEquals("b\n", results.get("b").stdout());
    }

    @Test
    void run_sudoProbeWithShellSyntax_refusedNotRun() throws Exception {
        java.nio.file.Path marker = java.nio.file.Files.createTempFile("local-sudo", ".marker");
        java.nio.file.Files.delete(marker);
        Probe bad = Probe.of("bad", "touch " + marker + "; true").asRoot();

        ProbeResult r = run(bad).get("bad");

        assertEquals(ProbeResult.NOT_RUN, r.exit());
        assertEquals(bad.sudoProblem().orElseThrow() + "\n", r.stderr());
        assertFalse(java.nio.file.Files.exists(marker), "the refused command ran");
    }

    @Test
    void run_sudoProbeKeepingTheRule_runs() {
        ProbeResult r = run(Probe.of("plain", "echo 'ok'").asRoot()).get("plain");

        assertEquals(0, r.exit());
        assertEquals("ok\n", r.stdout());
    }
}
