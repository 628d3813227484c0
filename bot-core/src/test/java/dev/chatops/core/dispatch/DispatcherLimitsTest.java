package dev.chatops.core.dispatch;

import static dev.chatops.core.testing.DispatchBench.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.audit.AuditEntry;
import dev.chatops.core.error.BotException;
import dev.chatops.core.limit.BusyException;
import dev.chatops.core.run.CheckRun;
import dev.chatops.core.spi.Verdict;
import dev.chatops.core.testing.DispatchBench;
import dev.chatops.core.testing.StatusCheck;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DispatcherLimitsTest {

    /** Remembers what it heard, in order. */
    private static final class Heard implements DispatchListener {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void queued(int position) {
            events.add("queued " + position);
        }

        @Override
        public void started() {
            events.add("started");
        }
    }

    @Test
    void deadHost_doesNotDelayHealthyOne() throws Exception {
        try (DispatchBench bench = DispatchBench.builder().hosts("web-dead", "web-01").limits(2, 8).build()) {
            bench.transport.hold("web-dead");
            CompletableFuture<CheckRun> dead = bench.dispatcher.submit(cli("web-dead"), DispatchListener.NONE);
            assertTrue(bench.transport.awaitOpened(1), "the dead host's run never started");

            CheckRun healthy = bench.dispatcher.submit(cli("web-01"), DispatchListener.NONE).get(20, TimeUnit.SECONDS);

            assertEquals(Verdict.HEALTHY, healthy.report().verdict());
            assertFalse(dead.isDone(), "the dead host answered, so this proves nothing");
            assertEquals(1, bench.transport.inFlight());
            bench.transport.release("web-dead");
            assertEquals(Verdict.HEALTHY, dead.get(20, TimeUnit.SECONDS).report().verdict());
        }
    }

    @Test
    void deadHosts_fillEverySlot_othersWaitInLine() throws Exception {
        try (DispatchBench bench = DispatchBench.builder().hosts("web-dead1", "web-dead2", "web-01").limits(2, 8).build()) {
            bench.transport.hold("web-dead1").hold("web-dead2");
            CompletableFuture<CheckRun> dead1 = bench.dispatcher.submit(cli("web-dead1"), DispatchListener.NONE);
            CompletableFuture<CheckRun> dead2 = bench.dispatcher.submit(cli("web-dead2"), DispatchListener.NONE);
            assertTrue(bench.transport.awaitOpened(2));

            Heard heard = new Heard();
            CompletableFuture<CheckRun> waiting = bench.dispatcher.submit(cli("web-01"), heard);

            assertEquals(List.of("queued 1"), heard.events);
            assertEquals(0, bench.transport.sessionsOpened("web-01"));
            bench.transport.release("web-dead1");
            assertEquals(Verdict.HEALTHY, waiting.get(20, TimeUnit.SECONDS).report().verdict());
            assertEquals(List.of("queued 1", "started"), heard.events);
            assertFalse(dead2.isDone());
            bench.transport.release("web-dead2");
            dead1.get(20, TimeUnit.SECONDS);
            dead2.get(20, TimeUnit.SECONDS);
            assertEquals(2, bench.transport.maxInFlight());
        }
    }

    @Test
    void sameHost_twoChecks_oneRunAtATime() throws Exception {
        try (DispatchBench bench = DispatchBench.builder().hosts("web-01").check(new StatusCheck("status2"))
                .limits(4, 8).build()) {
            bench.transport.hold("web-01");
            CompletableFuture<CheckRun> first = bench.dispatcher.submit(cli("web-01"), DispatchListener.NONE);
            assertTrue(bench.transport.awaitOpened(1));

            Heard heard = new Heard();
            CompletableFuture<CheckRun> second = bench.dispatcher.submit(
                    new CheckRequest("status2", "web-01", false, Requester.cli()), heard);

            assertEquals(List.of("queued 1"), heard.events);
            assertEquals(1, bench.transport.sessionsOpened("web-01"));
            bench.transport.release("web-01");
            first.get(20, TimeUnit.SECONDS);
            assertEquals("status2", second.get(20, TimeUnit.SECONDS).report().check());
            assertEquals(2, bench.transport.sessionsOpened("web-01"));
            assertEquals(1, bench.transport.maxInFlight());
        }
    }

    @Test
    void queue_full_refusesWithBusyAndRunsNothing() throws Exception {
        try (DispatchBench bench = DispatchBench.builder().hosts("web-01", "web-02", "web-03", "web-04")
                .limits(1, 2).build()) {
            bench.transport.hold("web-01");
            CompletableFuture<CheckRun> running = bench.dispatcher.submit(cli("web-01"), DispatchListener.NONE);
            assertTrue(bench.transport.awaitOpened(1));
            Heard second = new Heard();
            Heard third = new Heard();
            CompletableFuture<CheckRun> q1 = bench.dispatcher.submit(cli("web-02"), second);
            CompletableFuture<CheckRun> q2 = bench.dispatcher.submit(cli("web-03"), third);

            BusyException busy = assertThrows(BusyException.class, () -> bench.dispatcher.handle(cli("web-04")));

            assertEquals("the bot is busy: 2 checks queued; try again in a minute", busy.getMessage());
            assertEquals(BotException.Category.EXTERNAL, busy.category());
            assertEquals(List.of("queued 1"), second.events);
            assertEquals(List.of("queued 2"), third.events);
            AuditEntry refused = bench.audit.entries().get(bench.audit.entries().size() - 1);
            assertEquals(AuditEntry.Decision.DENIED, refused.decision());
            assertEquals(busy.getMessage(), refused.reason());
            assertEquals("web-04", refused.host());

            bench.transport.release("web-01");
            running.get(20, TimeUnit.SECONDS);
            q1.get(20, TimeUnit.SECONDS);
            q2.get(20, TimeUnit.SECONDS);
            assertEquals(0, bench.transport.sessionsOpened("web-04"));
            assertEquals(3, bench.transport.sessionsOpened());
        }
    }

    @Test
    void queue_full_scheduleRequestsStillAccepted() throws Exception {
        try (DispatchBench bench = DispatchBench.builder().hosts("web-01", "web-02").limits(1, 0).build()) {
            bench.transport.hold("web-01");
            CompletableFuture<CheckRun> running = bench.dispatcher.submit(cli("web-01"), DispatchListener.NONE);
            assertTrue(bench.transport.awaitOpened(1));
            assertThrows(BusyException.class, () -> bench.dispatcher.submit(cli("web-02"), DispatchListener.NONE));

            CompletableFuture<CheckRun> scheduled = bench.dispatcher.submit(new CheckRequest(StatusCheck.NAME, "web-02",
                    true, Requester.schedule("morning", "C0456EFGH")), DispatchListener.NONE);

            bench.transport.release("web-01");
            running.get(20, TimeUnit.SECONDS);
            assertEquals(Verdict.HEALTHY, scheduled.get(20, TimeUnit.SECONDS).report().verdict());
        }
    }

    @Test
    void handle_blockingCall_unchanged() {
        try (DispatchBench bench = DispatchBench.builder().hosts("web-01").build()) {
            CheckRun run = bench.dispatcher.handle(cli("web-01"));
            assertEquals(Verdict.HEALTHY, run.report().verdict());
            assertEquals("web-01", run.report().host());
        }
    }
}
