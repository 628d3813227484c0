package dev.chatops.core.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.audit.AuditEntry;
import dev.chatops.core.run.CheckRun;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.Verdict;
import dev.chatops.core.testing.DispatchBench;
import dev.chatops.core.testing.StatusCheck;
import dev.chatops.core.testing.StuckCheck;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A check that never finishes diagnosing hostile evidence holds its host only until the
 * {@code diagnoseTimeout}: the request is answered inconclusive, the audit log records it, and the
 * next request for the host, fresh or not, runs.
 */
class DispatcherDeadlineTest {

    private static CheckRequest stuck(String host, boolean fresh) {
        return new CheckRequest(StuckCheck.NAME, host, fresh, Requester.cli());
    }

    @Test
    void diagnoseNeverEnds_inconclusiveAtDeadline_thenFreshRequestOfSameHostAnswered() throws Exception {
        StuckCheck check = new StuckCheck();
        try (DispatchBench bench = DispatchBench.builder().hosts("web-03").limits(1, 4).check(check).build()) {
            bench.transport.status("web-03", "2026/11/21 10:08:39 [error] hostile line");
            CompletableFuture<CheckRun> first = bench.dispatcher.submit(stuck("web-03", false), DispatchListener.NONE);
            assertTrue(check.awaitStuck(), "the diagnosis never started");
            assertTrue(DispatchBench.eventually(() -> bench.timer.pending().size() == 1), "no deadline was set");
            assertFalse(first.isDone(), "answered before the deadline, so this proves nothing");

            bench.timer.runUntil(bench.clock.instant().plus(Duration.ofSeconds(10)));

            CheckRun stopped = first.get(20, TimeUnit.SECONDS);
            assertEquals(Verdict.INCONCLUSIVE, stopped.report().verdict());
            assertTrue(stopped.report().summary().startsWith("diagnosis stopped after 10 s (limits.diagnoseTimeout): "
                    + "check stuck was still diagnosing web-03"), stopped.report().summary());
            assertTrue(stopped.report().summary().endsWith("save the evidence with --save-evidence and report it"));
            assertTrue(stopped.evidence().isPresent(), "the evidence is kept, so it can be saved");
            assertEquals(0, bench.queue.running(), "the host's slot is free while the diagnosis still spins");

            bench.transport.status("web-03", "ok");
            CheckRun fresh = bench.dispatcher.submit(stuck("web-03", true), DispatchListener.NONE)
                    .get(20, TimeUnit.SECONDS);

            assertEquals(Verdict.HEALTHY, fresh.report().verdict());
            assertEquals("status says ok", fresh.report().summary());
            assertEquals(2, bench.transport.sessionsOpened("web-03"));
            List<AuditEntry> audit = bench.audit.entries();
            assertEquals(List.of(Optional.of(Verdict.INCONCLUSIVE), Optional.of(Verdict.HEALTHY)),
                    audit.stream().map(AuditEntry::verdict).toList());
            assertEquals(List.of(AuditEntry.Decision.ALLOWED, AuditEntry.Decision.ALLOWED),
                    audit.stream().map(AuditEntry::decision).toList());
        } finally {
            check.release();
        }
    }

    @Test
    void diagnoseNeverEnds_nextRequestWaitingInLine_startsAtDeadline() throws Exception {
        StuckCheck check = new StuckCheck();
        try (DispatchBench bench = DispatchBench.builder().hosts("web-03", "web-01").limits(1, 4).check(check)
                .build()) {
            bench.transport.status("web-03", "hostile");
            CompletableFuture<CheckRun> first = bench.dispatcher.submit(stuck("web-03", false), DispatchListener.NONE);
            assertTrue(check.awaitStuck());
            CompletableFuture<CheckRun> waiting = bench.dispatcher.submit(stuck("web-01", false),
                    DispatchListener.NONE);
            assertTrue(DispatchBench.eventually(() -> bench.timer.pending().size() == 1));
            assertFalse(waiting.isDone(), "the only slot is taken, so web-01 must wait");

            bench.timer.runUntil(bench.clock.instant().plus(Duration.ofSeconds(10)));

            assertEquals(Verdict.INCONCLUSIVE, first.get(20, TimeUnit.SECONDS).report().verdict());
            assertEquals(Verdict.HEALTHY, waiting.get(20, TimeUnit.SECONDS).report().verdict());
        } finally {
            check.release();
        }
    }

    @Test
    void diagnoseThrowsAnError_answeredInconclusive_auditedAndHostFree() throws Exception {
        Check greedy = new Check() {
            public String name() {
                return "greedy";
            }

            public String help() {
                return "Runs out of memory on any evidence.";
            }

            public List<Probe> probes(CheckOptions options) {
                return List.of(Probe.of(StatusCheck.PROBE, "cat /run/status"));
            }

            public Diagnosis diagnose(Evidence evidence) {
                throw new OutOfMemoryError("Java heap space");
            }
        };
        try (DispatchBench bench = DispatchBench.builder().hosts("web-03").limits(1, 4).check(greedy).build()) {
            CheckRun run = bench.dispatcher.submit(new CheckRequest("greedy", "web-03", false, Requester.cli()),
                    DispatchListener.NONE).get(20, TimeUnit.SECONDS);

            assertEquals(Verdict.INCONCLUSIVE, run.report().verdict());
            assertTrue(run.report().summary().startsWith("check greedy failed while diagnosing web-03 "
                    + "(java.lang.OutOfMemoryError: Java heap space)"), run.report().summary());
            assertEquals(List.of(Optional.of(Verdict.INCONCLUSIVE)),
                    bench.audit.entries().stream().map(AuditEntry::verdict).toList());
            assertEquals(0, bench.queue.running());
            assertEquals(Verdict.HEALTHY, bench.dispatcher.handle(DispatchBench.cli("web-03")).report().verdict(),
                    "the next request for the host runs");
        }
    }
}
