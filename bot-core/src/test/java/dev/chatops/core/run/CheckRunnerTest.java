package dev.chatops.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.host.Host;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.Settings;
import dev.chatops.core.spi.Verdict;
import dev.chatops.core.testing.DispatchBench;
import dev.chatops.core.testing.FakeTransport;
import dev.chatops.core.testing.ManualTimer;
import dev.chatops.core.testing.MutableClock;
import dev.chatops.core.testing.StatusCheck;
import dev.chatops.core.testing.StuckCheck;
import dev.chatops.core.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
    void run_settings_reachProbesAndAreKeptInTheEvidenceForReplay() {
        FakeTransport transport = new FakeTransport().answer("port", "3000\n").answer("listener", "LISTEN 0 511 *:3000");
        Settings settings = new Settings(java.util.Map.of("threshold", 75));

        CheckRun run = new CheckRunner(transport, clock).run(new PortCheck(), web03,
                CheckOptions.defaults().withSettings(settings));

        assertEquals(settings, run.evidence().orElseThrow().settings());
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

    /** A check whose diagnosis is whatever {@code diagnose} does, and whose follow-up is {@code followUp}'s. */
    private static Check check(String name, Function<Evidence, Diagnosis> diagnose,
                               Function<Evidence, List<Probe>> followUp) {
        return new Check() {
            public String name() {
                return name;
            }

            public String help() {
                return "help";
            }

            public List<Probe> probes(CheckOptions options) {
                return List.of(Probe.of("x", "true"));
            }

            @Override
            public List<Probe> followUp(Evidence first, CheckOptions options) {
                return followUp.apply(first);
            }

            public Diagnosis diagnose(Evidence evidence) {
                return diagnose.apply(evidence);
            }
        };
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    @Test
    void run_diagnoseNeverEnds_inconclusiveAtTheDeadlineWhileTheCheckStillSpins() throws Exception {
        ManualTimer timer = new ManualTimer(clock);
        StuckCheck stuck = new StuckCheck();
        FakeTransport transport = new FakeTransport().answer(StatusCheck.PROBE, "hostile");
        CheckRunner runner = new CheckRunner(transport, clock, Duration.ofSeconds(10), timer);
        try {
            CompletableFuture<CheckRun> run = CompletableFuture.supplyAsync(
                    () -> runner.run(stuck, web03, CheckOptions.defaults()));
            assertTrue(stuck.awaitStuck(), "the diagnosis never started");
            assertTrue(DispatchBench.eventually(() -> timer.pending().size() == 1), "no deadline was set");
            timer.runUntil(T0.plus(Duration.ofSeconds(9)));
            assertFalse(run.isDone(), "stopped before the deadline");

            timer.runUntil(T0.plus(Duration.ofSeconds(10)));

            CheckRun stopped = run.get(20, TimeUnit.SECONDS);
            assertEquals(Verdict.INCONCLUSIVE, stopped.report().verdict());
            assertEquals("diagnosis stopped after 10 s (limits.diagnoseTimeout): check stuck was still diagnosing "
                    + "web-03, perhaps stuck on input from the host it cannot handle; save the evidence with "
                    + "--save-evidence and report it", stopped.report().summary());
            assertEquals(10_000, stopped.report().durationMs());
            assertEquals("hostile", stopped.evidence().orElseThrow().stdout(StatusCheck.PROBE));
            assertTrue(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName()
                    .equals("chatops-check stuck diagnosing web-03") && t.isAlive() && t.isDaemon()),
                    "the spinning diagnosis is abandoned on a daemon thread, not waited for");
        } finally {
            stuck.release();
        }
    }

    @Test
    void run_diagnoseNeverEnds_realTimerStopsItWithinTheDeadline() {
        StuckCheck stuck = new StuckCheck();
        CheckRunner runner = new CheckRunner(new FakeTransport().answer(StatusCheck.PROBE, "hostile"),
                java.time.Clock.systemUTC(), Duration.ofMillis(300));
        try {
            long start = System.nanoTime();
            CheckRun run = runner.run(stuck, web03, CheckOptions.defaults());
            long tookMs = (System.nanoTime() - start) / 1_000_000;

            assertEquals(Verdict.INCONCLUSIVE, run.report().verdict());
            assertTrue(run.report().summary().startsWith("diagnosis stopped after 300 ms (limits.diagnoseTimeout)"),
                    run.report().summary());
            assertTrue(tookMs >= 300 && tookMs < 5_000, "took " + tookMs + " ms");
        } finally {
            stuck.release();
        }
    }

    @Test
    void run_diagnoseOverflowsTheStack_inconclusiveNamingTheCheck() {
        Check deep = check("deep", e -> Diagnosis.healthy("depth " + recurse(0), List.of()), e -> List.of());

        CheckRun run = new CheckRunner(new FakeTransport(), clock).run(deep, web03, CheckOptions.defaults());

        assertEquals(Verdict.INCONCLUSIVE, run.report().verdict());
        assertTrue(run.report().summary().startsWith("check deep failed while diagnosing web-03 "
                + "(java.lang.StackOverflowError"), run.report().summary());
        assertTrue(run.evidence().isPresent());
    }

    @Test
    void run_diagnoseThrowsAnError_inconclusiveNamingTheCheck() {
        Check greedy = check("greedy", e -> {
            throw new OutOfMemoryError("Java heap space");
        }, e -> List.of());

        CheckRun run = new CheckRunner(new FakeTransport(), clock).run(greedy, web03, CheckOptions.defaults());

        assertEquals(Verdict.INCONCLUSIVE, run.report().verdict());
        assertEquals("check greedy failed while diagnosing web-03 (java.lang.OutOfMemoryError: Java heap space); "
                + "this is a bug in the check: save the evidence with --save-evidence and report it",
                run.report().summary());
    }

    @Test
    void run_followUpThrows_inconclusiveWithTheFirstBatch_notDiagnosed() {
        FakeTransport transport = new FakeTransport().answer("x", "first batch");
        boolean[] diagnosed = {false};
        Check broken = check("broken", e -> {
            diagnosed[0] = true;
            return Diagnosis.healthy("fine", List.of());
        }, e -> {
            throw new StackOverflowError();
        });

        CheckRun run = new CheckRunner(transport, clock).run(broken, web03, CheckOptions.defaults());

        assertEquals(Verdict.INCONCLUSIVE, run.report().verdict());
        assertTrue(run.report().summary().startsWith("check broken failed while choosing its follow-up probes for "
                + "web-03 (java.lang.StackOverflowError)"), run.report().summary());
        assertEquals("first batch", run.evidence().orElseThrow().stdout("x"));
        assertFalse(diagnosed[0], "half the evidence must not be diagnosed as if it were all");
        assertEquals(List.of("true"), transport.commands());
    }

    @Test
    void run_followUpNamesNewProbes_askedAgainWithAllEvidence_eachProbeRunsOnce() {
        FakeTransport transport = new FakeTransport().answer("x", "first").answer("a", "one").answer("b", "two");
        List<java.util.Set<String>> seen = new java.util.ArrayList<>();
        Check rounds = check("rounds", e -> Diagnosis.healthy(e.stdout("a") + e.stdout("b"), List.of()), e -> {
            seen.add(java.util.Set.copyOf(e.probes().keySet()));
            // "a" is asked for every time; "b" once "a" has answered
            return e.stdout("a").isEmpty() ? List.of(Probe.of("a", "echo a"))
                    : List.of(Probe.of("a", "echo a"), Probe.of("b", "echo b"));
        });

        CheckRun run = new CheckRunner(transport, clock).run(rounds, web03, CheckOptions.defaults());

        assertEquals("onetwo", run.report().summary());
        assertEquals(List.of("true", "echo a", "echo b"), transport.commands());
        assertEquals(List.of(java.util.Set.of("x"), java.util.Set.of("x", "a"), java.util.Set.of("x", "a", "b")), seen);
    }

    @Test
    void run_followUpNamesNewProbesForever_stopsAfterTheLastRound() {
        FakeTransport transport = new FakeTransport().answer("x", "first");
        int[] asked = {0};
        Check endless = check("endless", e -> Diagnosis.inconclusive(e.probes().size() + " probes", List.of()), e -> {
            asked[0]++;
            String name = "p" + e.probes().size();
            transport.answer(name, "more");
            return List.of(Probe.of(name, "echo " + name));
        });

        CheckRun run = new CheckRunner(transport, clock).run(endless, web03, CheckOptions.defaults());

        assertEquals(CheckRunner.FOLLOW_UP_ROUNDS, asked[0]);
        assertEquals((1 + CheckRunner.FOLLOW_UP_ROUNDS) + " probes", run.report().summary());
    }

    @Test
    void run_followUpNeverEnds_inconclusiveAtTheDeadline() throws Exception {
        ManualTimer timer = new ManualTimer(clock);
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        Check hanging = check("hanging", e -> Diagnosis.healthy("fine", List.of()), e -> {
            entered.countDown();
            try {
                never.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            return List.of();
        });
        CheckRunner runner = new CheckRunner(new FakeTransport(), clock, Duration.ofSeconds(10), timer);
        CompletableFuture<CheckRun> run = CompletableFuture.supplyAsync(
                () -> runner.run(hanging, web03, CheckOptions.defaults()));
        assertTrue(entered.await(20, TimeUnit.SECONDS));
        assertTrue(DispatchBench.eventually(() -> timer.pending().size() == 1));

        timer.runUntil(T0.plus(Duration.ofSeconds(10)));

        CheckRun stopped = run.get(20, TimeUnit.SECONDS);
        assertEquals(Verdict.INCONCLUSIVE, stopped.report().verdict());
        assertTrue(stopped.report().summary().startsWith("diagnosis stopped after 10 s (limits.diagnoseTimeout): "
                + "check hanging was still choosing its follow-up probes for web-03"), stopped.report().summary());
    }

    @Test
    void run_probesThrows_inconclusiveAndNoSessionOpened() {
        FakeTransport transport = new FakeTransport();
        Check noProbes = new Check() {
            public String name() {
                return "noprobes";
            }

            public String help() {
                return "help";
            }

            public List<Probe> probes(CheckOptions options) {
                throw new IllegalStateException("no probes today");
            }

            public Diagnosis diagnose(Evidence evidence) {
                return Diagnosis.healthy("never", List.of());
            }
        };

        CheckRun run = new CheckRunner(transport, clock).run(noProbes, web03, CheckOptions.defaults());

        assertEquals(Verdict.INCONCLUSIVE, run.report().verdict());
        assertTrue(run.report().summary().startsWith("check noprobes failed while listing its probes for web-03"),
                run.report().summary());
        assertEquals(0, transport.sessionsOpened());
    }

    @Test
    void replay_diagnoseThrowsAnError_inconclusive() {
        Evidence saved = new Evidence("greedy", "web-03", T0, Duration.ofMinutes(15), java.util.Map.of());
        Check greedy = check("greedy", e -> {
            throw new OutOfMemoryError("Java heap space");
        }, e -> List.of());

        var report = new CheckRunner(new FakeTransport(), clock).replay(greedy, saved);

        assertEquals(Verdict.INCONCLUSIVE, report.verdict());
        assertTrue(report.summary().startsWith("check greedy failed while diagnosing web-03"), report.summary());
    }

    @Test
    void run_stuckLimitOfAbandonedDiagnosesStillRunning_noMoreStartedUntilTheyEnd() throws Exception {
        ManualTimer timer = new ManualTimer(clock);
        StuckCheck stuck = new StuckCheck();
        FakeTransport transport = new FakeTransport().answer(StatusCheck.PROBE, "hostile");
        CheckRunner runner = new CheckRunner(transport, clock, Duration.ofSeconds(10), timer);
        try {
            for (int i = 1; i <= CheckRunner.STUCK_LIMIT; i++) {
                CompletableFuture<CheckRun> run = CompletableFuture.supplyAsync(
                        () -> runner.run(stuck, web03, CheckOptions.defaults()));
                assertTrue(stuck.awaitStuck());
                assertTrue(DispatchBench.eventually(() -> timer.pending().size() == 1));
                timer.runUntil(clock.instant().plus(Duration.ofSeconds(10)));
                assertEquals(Verdict.INCONCLUSIVE, run.get(20, TimeUnit.SECONDS).report().verdict());
                assertEquals(i, runner.stuckCalls());
            }

            CheckRun refused = runner.run(stuck, web03, CheckOptions.defaults());

            assertEquals(Verdict.INCONCLUSIVE, refused.report().verdict());
            assertTrue(refused.report().summary().startsWith("check stuck was not run: 4 earlier diagnoses are still "
                    + "running past limits.diagnoseTimeout"), refused.report().summary());
            assertEquals(CheckRunner.STUCK_LIMIT, transport.sessionsOpened(), "nothing was probed for it");

            stuck.release();
            assertTrue(DispatchBench.eventually(() -> runner.stuckCalls() == 0), "the stuck ones ended");
            transport.answer(StatusCheck.PROBE, "ok");
            assertEquals(Verdict.HEALTHY, runner.run(stuck, web03, CheckOptions.defaults()).report().verdict());
        } finally {
            stuck.release();
        }
    }

    @Test
    void run_diagnoseThrowsWithAHugeMessage_reportQuotesItShortened() {
        String hostile = "x".repeat(100_000);
        Check quoting = check("quoting", e -> {
            throw new IllegalArgumentException("cannot parse " + hostile);
        }, e -> List.of());

        CheckRun run = new CheckRunner(new FakeTransport(), clock).run(quoting, web03, CheckOptions.defaults());

        assertTrue(run.report().summary().startsWith("check quoting failed while diagnosing web-03 "
                + "(java.lang.IllegalArgumentException: cannot parse xxx"), run.report().summary());
        assertTrue(run.report().summary().length() < 600, "summary of " + run.report().summary().length() + " chars");
    }
}
