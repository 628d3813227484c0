package dev.chatops.core.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.testing.MemoryReplicaStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LeasedSweepSlotsTest {

    private static final Duration TTL = Duration.ofMillis(600);
    private static final Instant DUE = Instant.now();

    @Test
    void twoReplicasSameSlot_onePostsTheOtherWaitsForItsMark() throws Exception {
        MemoryReplicaStore store = new MemoryReplicaStore();
        List<String> posts = new CopyOnWriteArrayList<>();
        CountDownLatch sweeping = new CountDownLatch(1);
        CountDownLatch finishSweep = new CountDownLatch(1);
        try (Leases a = new Leases(store, "a", TTL, Clock.systemUTC());
             Leases b = new Leases(store, "b", TTL, Clock.systemUTC())) {
            CompletableFuture<Void> first = CompletableFuture.runAsync(() -> new LeasedSweepSlots(a, Duration.ofMinutes(1))
                    .once("morning", DUE, () -> {
                        sweeping.countDown();
                        await(finishSweep);
                        return "a's sweep";
                    }, posts::add));
            assertTrue(sweeping.await(10, TimeUnit.SECONDS));
            CompletableFuture<Void> second = CompletableFuture.runAsync(() -> new LeasedSweepSlots(b,
                    Duration.ofMinutes(1)).once("morning", DUE, () -> "b's sweep", posts::add));
            // longer than a lease: a keeps renewing, so b must not take over
            Thread.sleep(TTL.toMillis() * 3);
            assertEquals(List.of(), posts);
            finishSweep.countDown();
            first.get(10, TimeUnit.SECONDS);
            second.get(10, TimeUnit.SECONDS);
            assertEquals(List.of("a's sweep"), posts);
            assertTrue(store.finished(LeasedSweepSlots.name("morning", DUE)));
        }
    }

    @Test
    void holderStopsRenewing_theOtherTakesOverAndPostsOnce() throws Exception {
        MemoryReplicaStore store = new MemoryReplicaStore();
        List<String> posts = new CopyOnWriteArrayList<>();
        String slot = LeasedSweepSlots.name("morning", DUE);
        // a replica that died holding the slot: its lease is there, nobody renews it
        assertTrue(store.take(slot, "dead", Instant.now().plus(TTL), Instant.now()));
        try (Leases b = new Leases(store, "b", TTL, Clock.systemUTC())) {
            long start = System.nanoTime();
            new LeasedSweepSlots(b, Duration.ofMinutes(1)).once("morning", DUE, () -> "b's sweep", posts::add);
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(List.of("b's sweep"), posts);
            assertTrue(tookMs >= TTL.toMillis() - 100, "waited out the lease: " + tookMs + " ms");
            assertEquals("b", store.holder(slot).orElseThrow());
        }
    }

    @Test
    void leaseLostWhileSweeping_doesNotPost() throws Exception {
        MemoryReplicaStore store = new MemoryReplicaStore();
        List<String> posts = new CopyOnWriteArrayList<>();
        String slot = LeasedSweepSlots.name("morning", DUE);
        try (Leases a = new Leases(store, "a", TTL, Clock.systemUTC())) {
            new LeasedSweepSlots(a, Duration.ofMinutes(1)).once("morning", DUE, () -> {
                // another replica took the slot meanwhile (this one was paused past its lease)
                store.release(slot, "a");
                store.take(slot, "b", Instant.now().plusSeconds(60), Instant.now());
                return "a's sweep";
            }, posts::add);
            assertEquals(List.of(), posts);
        }
    }

    @Test
    void slotFinishedLongAgo_nothingRunsAgain() {
        MemoryReplicaStore store = new MemoryReplicaStore();
        List<String> posts = new CopyOnWriteArrayList<>();
        String slot = LeasedSweepSlots.name("morning", DUE);
        store.take(slot, "a", Instant.now().plusSeconds(60), Instant.now());
        store.finish(slot, "a");
        try (Leases b = new Leases(store, "b", TTL, Clock.systemUTC())) {
            new LeasedSweepSlots(b, Duration.ofMinutes(1)).once("morning", DUE, () -> "b's sweep", posts::add);
        }
        assertEquals(List.of(), posts);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
