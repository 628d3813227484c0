package dev.chatops.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.host.Host;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.Verdict;
import dev.chatops.core.testing.FakeTransport;
import dev.chatops.core.testing.MutableClock;
import dev.chatops.core.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckRunnerTest {

    private static final Instant T0 = Instant.parse("2026-11-21T10:09:12Z");
    private final MutableClock clock = new MutableClock(T0);
    private final Host web03 = Host.ssh("web-03", "10.0.3.13", 22, java.util.Set.of("web"));

    /** Reads the port from the first batch and asks for the listener on it in a second batch. */
    private static final class PortCheck implements Check {
        public String name() {
            return "port";
        }

        public String help() {
            return "Is anything listening on the configured port?";
        }

        public List<Probe> probes(CheckOptions options) {
            return List.of(Probe.of("port", "cat /etc/app/port"));
        }

        @Override
        public List<Probe> followUp(Evidence first, CheckOptions options) {
            String port = first.stdout("port").trim();
            return port.matches("\\d+") ? List.of(Probe.of("listener", "ss -ltn sport = :" + port)) : List.of();
        }

        public Diagnosis diagnose(Evidence e) {
            return e.stdout("listener").contains("LISTEN")
                    ? Diagnosis.healthy("listening", List.of())
                    : Diagnosis.inconclusive("nothing on " + e.stdout("port").trim(), List.of());
        }
    }

    @Test
    void run_probesThenFollowUp_throughOneSession() {
        FakeTransport transport = new FakeTransport().answer("port", "3000\n").answer("listener", "LISTEN 0 511 *:3000");

        CheckRun run = new CheckRunner(transport, clock).run(new PortCheck(), web03, CheckOptions.defaults());

        assertEquals(1, transport.sessionsOpened());
        assertEquals(List.of("cat /etc/app/port", "ss -ltn sport = :3000"), transport.commands());
        assertEquals(Verdict.HEALTHY, run.report().verdict());
        assertEquals(List.of("port", "listener"), run.report().probes().stream().map(p -> p.name()).toList());
        assertEquals(T0, run.evidence().orElseThrow().collectedAt());
        assertEquals("SHA256:fake", run.hostKeyFingerprint().orElseThrow());
    }

    @Test
    void run_hostUnreachable_givesUnreachableReportWithReason() {
        FakeTransport transport = new FakeTransport().fail("web-03", new TransportException(
                TransportException.Reason.CONNECTION_REFUSED, "web-03 (10.0.3.13:22) refused the SSH connection"));

        CheckRun run = new CheckRunner(transport, clock).run(new PortCheck(), web03, CheckOptions.defaults());

        assertEquals(Verdict.UNREACHABLE, run.report().verdict());
        assertEquals("web-03 (10.0.3.13:22) refused the SSH connection", run.report().summary());
        assertTrue(run.evidence().isEmpty());
    }

    @Test
    void run_checkThrowsInDiagnose_givesInconclusiveNamingTheCheck() {
        Check throwing = new Check() {
            public String name() {
                return "flaky";
            }

            public String help() {
                return "help";
            }

            public List<Probe> probes(CheckOptions options) {
                return List.of(Probe.of("x", "true"));
            }

            public Diagnosis diagnose(Evidence evidence) {
                throw new IllegalStateException("boom");
            }
        };

        CheckRun run = new CheckRunner(new FakeTransport(), clock).run(throwing, web03, CheckOptions.defaults());

        assertEquals(Verdict.INCONCLUSIVE, run.report().verdict());
        assertTrue(run.report().summary().startsWith("check flaky failed while diagnosing"), run.report().summary());
    }

    @Test
    void replay_savedEvidence_givesSameVerdictWithoutTransport() {
        FakeTransport transport = new FakeTransport().answer("port", "3000\n").answer("listener", "");
        CheckRunner runner = new CheckRunner(transport, clock);
        CheckRun live = runner.run(new PortCheck(), web03, new CheckOptions(Duration.ofMinutes(5)));

        var replayed = runner.replay(new PortCheck(), live.evidence().orElseThrow());

        assertEquals(live.report().verdict(), replayed.verdict());
        assertEquals(live.report().summary(), replayed.summary());
        assertEquals(Duration.ofMinutes(5), replayed.window());
        assertEquals(1, transport.sessionsOpened());
    }
}
