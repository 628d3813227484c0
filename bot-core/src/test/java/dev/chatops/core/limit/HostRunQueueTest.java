package dev.chatops.core.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.limit.HostRunQueue.Priority;
import dev.chatops.core.limit.HostRunQueue.Ticket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class HostRunQueueTest {

    private static final long WAIT = 20;

    /** Work that says it started, then waits for the test to let it finish. */
    private static final class Gate {
        final CountDownLatch open = new CountDownLatch(1);
        final Semaphore started = new Semaphore(0);
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final List<String> order = new CopyOnWriteArrayList<>();

        Supplier<String> work(String name) {
            return () -> {
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                order.add(name);
                started.release();
                try {
                    open.await(WAIT, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    inFlight.decrementAndGet();
                }
                return name;
            };
        }

        boolean awaitStarted(int n) throws InterruptedException {
            return started.tryAcquire(n, WAIT, TimeUnit.SECONDS);
        }
    }

    @Test
    void submit_manyHosts_neverMoreThanLimitAtOnce() throws Exception {
        try (HostRunQueue queue = new HostRunQueue(new Limits(3, 16))) {
            Gate gate = new Gate();
            List<Ticket<String>> tickets = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                tickets.add(queue.submit("web-" + i, gate.work("web-" + i), Priority.INTERACTIVE));
            }
            assertTrue(gate.awaitStarted(3));
            assertEquals(3, queue.running());
            assertEquals(7, queue.waiting());
            assertEquals(List.of(0, 0, 0, 1, 2, 3, 4, 5, 6, 7), tickets.stream().map(Ticket::position).toList());

            gate.open.countDown();
            for (Ticket<String> t : tickets) {
                t.result().get(WAIT, TimeUnit.SECONDS);
            }
            assertEquals(3, gate.maxInFlight.get());
            assertEquals(0, queue.running());
        }
    }

    @Test
    void submit_sameHost_waitsForTheRunningOne() throws Exception {
        try (HostRunQueue queue = new HostRunQueue(new Limits(4, 16))) {
            Gate gate = new Gate();
            Ticket<String> first = queue.submit("web-01", gate.work("first"), Priority.INTERACTIVE);
            assertTrue(gate.awaitStarted(1));
            Ticket<String> second = queue.submit("web-01", gate.work("second"), Priority.INTERACTIVE);
            Ticket<String> other = queue.submit("web-02", gate.work("other"), Priority.INTERACTIVE);

            assertTrue(gate.awaitStarted(1));
            assertEquals(1, second.position());
            assertFalse(second.started().isDone());
            assertEquals(0, other.position());

            gate.open.countDown();
            assertEquals("second", second.result().get(WAIT, TimeUnit.SECONDS));
            first.result().get(WAIT, TimeUnit.SECONDS);
            assertEquals(List.of("first", "other", "second"), gate.order);
        }
    }

    @Test
    void interactive_goesAheadOfBackground() throws Exception {
        try (HostRunQueue queue = new HostRunQueue(new Limits(1, 16))) {
            Gate gate = new Gate();
            queue.submit("web-00", gate.work("blocker"), Priority.INTERACTIVE);
            assertTrue(gate.awaitStarted(1));
            Ticket<String> sweep1 = queue.submit("web-01", gate.work("sweep-1"), Priority.BACKGROUND);
            Ticket<String> sweep2 = queue.submit("web-02", gate.work("sweep-2"), Priority.BACKGROUND);
            Ticket<String> person = queue.submit("web-03", gate.work("person"), Priority.INTERACTIVE);

            assertEquals(1, person.position());
            assertEquals(2, sweep1.position());
            assertEquals(3, sweep2.position());

            gate.open.countDown();
            sweep2.result().get(WAIT, TimeUnit.SECONDS);
            assertEquals(List.of("blocker", "person", "sweep-1", "sweep-2"), gate.order);
        }
    }

    @Test
    void busy_refusesInteractiveOnly() throws Exception {
        try (HostRunQueue queue = new HostRunQueue(new Limits(1, 1))) {
            Gate gate = new Gate();
            queue.submit("web-00", gate.work("a"), Priority.INTERACTIVE);
            assertTrue(gate.awaitStarted(1));
            queue.submit("web-01", gate.work("b"), Priority.INTERACTIVE);

            BusyException busy = assertThrows(BusyException.class,
                    () -> queue.submit("web-02", gate.work("c"), Priority.INTERACTIVE));
            assertEquals(1, busy.queued());
            Ticket<String> background = queue.submit("web-03", gate.work("d"), Priority.BACKGROUND);
            assertEquals(2, queue.waiting());

            gate.open.countDown();
            assertEquals("d", background.result().get(WAIT, TimeUnit.SECONDS));
            assertEquals(List.of("a", "b", "d"), gate.order);
        }
    }

    @Test
    void work_throws_failsResultAndFreesSlot() throws Exception {
        try (HostRunQueue queue = new HostRunQueue(new Limits(1, 4))) {
            Ticket<String> broken = queue.submit("web-01", () -> {
                throw new IllegalStateException("a check bug");
            }, Priority.INTERACTIVE);
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> broken.result().get(WAIT, TimeUnit.SECONDS));
            assertEquals("a check bug", e.getCause().getMessage());
            assertEquals("fine", queue.submit("web-01", () -> "fine", Priority.INTERACTIVE).result()
                    .get(WAIT, TimeUnit.SECONDS));
        }
    }

    @Test
    void close_failsWaitingWorkAndRefusesNew() throws Exception {
        HostRunQueue queue = new HostRunQueue(new Limits(1, 4));
        Gate gate = new Gate();
        queue.submit("web-00", gate.work("a"), Priority.INTERACTIVE);
        assertTrue(gate.awaitStarted(1));
        Ticket<String> waiting = queue.submit("web-01", gate.work("b"), Priority.INTERACTIVE);

        queue.close();

        ExecutionException e = assertThrows(ExecutionException.class, () -> waiting.result().get(WAIT, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("shutting down"));
        assertThrows(RuntimeException.class, () -> queue.submit("web-02", gate.work("c"), Priority.INTERACTIVE));
    }

    @Test
    void limits_invalid_refused() {
        assertThrows(IllegalArgumentException.class, () -> new Limits(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Limits(1, -1));
    }
}
