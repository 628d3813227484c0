package dev.chatops.checks.nginx502;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.checks.nginx502.probe.Nginx502Probes;
import dev.chatops.core.evidence.EvidenceFile;
import dev.chatops.core.host.Host;
import dev.chatops.core.registry.CheckRegistry;
import dev.chatops.core.run.CheckRun;
import dev.chatops.core.run.CheckRunner;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.spi.Verdict;
import dev.chatops.core.testing.FakeTransport;
import dev.chatops.core.testing.MutableClock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The plugin as the engine runs it: found by ServiceLoader, two batches over one session (the
 * follow-up computed from the first), evidence that replays to the same report.
 */
class CheckRunTest {

    @Test
    void serviceLoader_findsTheOnePlugin() {
        CheckRegistry registry = CheckRegistry.load(getClass().getClassLoader(), Optional.empty());
        Check c = registry.all().stream().filter(x -> x.name().equals("nginx502")).findFirst().orElseThrow();
        assertTrue(c instanceof Nginx502Check);
        assertFalse(c.help().isBlank());
    }

    @Test
    void run_oneSessionTwoBatchesAndTheSameReportOnReplay() {
        Evidence recorded = Fixtures.evidence("upstream-down-tcp");
        FakeTransport transport = new FakeTransport();
        for (Map.Entry<String, ProbeResult> e : recorded.probes().entrySet()) {
            ProbeResult r = e.getValue();
            transport.answer(e.getKey(), r.exit(), r.stdout(), r.stderr());
        }
        CheckRunner runner = new CheckRunner(transport, new MutableClock(Instant.parse("2026-11-21T11:40:00Z")));
        CheckRun run = runner.run(new Nginx502Check(), Host.local("web-03"), CheckOptions.defaults());
        assertEquals(1, transport.sessionsOpened());
        assertEquals(Verdict.CAUSE_FOUND, run.report().verdict());
        assertEquals("upstream-down", run.report().causes().get(0).id());
        Evidence saved = run.evidence().orElseThrow();
        assertTrue(saved.probes().containsKey(Nginx502Probes.UPSTREAMS), "the follow-up ran");
        assertTrue(transport.commands().stream().anyMatch(c -> c.contains("tcp_probe 'tcp:127.0.0.1:28001'")));
        Evidence replayed = EvidenceFile.parse(EvidenceFile.toJson(saved), "saved");
        assertEquals(run.report().summary(), runner.replay(new Nginx502Check(), replayed).summary());
        assertEquals(run.report().causes(), runner.replay(new Nginx502Check(), replayed).causes());
    }
}
