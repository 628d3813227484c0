package dev.chatops.core.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.host.Host;
import dev.chatops.core.run.CheckRun;
import dev.chatops.core.run.CheckRunner;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Verdict;
import dev.chatops.core.testing.GatedTransport;
import dev.chatops.core.testing.MemoryReplicaStore;
import dev.chatops.core.testing.StatusCheck;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two replicas (two runners, two lease holders) in one JVM, sharing runs through one store. */
class StoredRunSharingTest {

    private static final Duration TTL = Duration.ofMillis(900);
    private static final Host WEB03 = Host.ssh("web-03", "127.0.0.1", 22, Set.of());

    @Test
    void secondReplicaAsksWhileTheFirstRuns_waitsAndServesThatRun() throws Exception {
        MemoryReplicaStore store = new MemoryReplicaStore();
        GatedTransport hostSide = new GatedTransport().status("web-03", "down: 12").hold("web-03");
        CheckRunner runnerA = new CheckRunner(hostSide, Clock.systemUTC());
        CheckRunner runnerB = new CheckRunner(hostSide, Clock.systemUTC());
        try (Leases a = new Leases(store, "a", TTL, Clock.systemUTC());
             Leases b = new Leases(store, "b", TTL, Clock.systemUTC())) {
            StoredRunSharing sharingA = new StoredRunSharing(a, Duration.ofSeconds(60), Duration.ofSeconds(5),
                    Duration.ofSeconds(30));
            StoredRunSharing sharingB = new StoredRunSharing(b, Duration.ofSeconds(60), Duration.ofSeconds(5),
                    Duration.ofSeconds(30));
            CompletableFuture<CheckRun> first = CompletableFuture.supplyAsync(() -> sharingA.run(new StatusCheck(),
                    WEB03, CheckOptions.defaults(), false, runnerA));
            assertTrue(hostSide.awaitOpened(1));
            CompletableFuture<CheckRun> second = CompletableFuture.supplyAsync(() -> sharingB.run(new StatusCheck(),
                    WEB03, CheckOptions.defaults(), false, runnerB));
            Thread.sleep(TTL.toMillis() * 2);
            hostSide.release("web-03");
            CheckRun ran = first.get(20, TimeUnit.SECONDS);
            CheckRun served = second.get(20, TimeUnit.SECONDS);
            assertEquals(1, hostSide.sessionsOpened(), "one session between the two replicas");
            assertEquals(Verdict.CAUSE_FOUND, served.report().verdict());
            assertEquals(ran.report().summary(), served.report().summary());
            assertEquals(ran.report().collectedAt(), served.report().collectedAt());
            assertTrue(served.evidence().isPresent(), "diagnosed again from the shared evidence");
            assertTrue(!served.report().cached(), "a run that ended after the ask is not a cached one");
        }
    }

    @Test
    void keptRunWithinTtl_servedWithoutContactingTheHost_butAFreshAskRunsAgain() {
        MemoryReplicaStore store = new MemoryReplicaStore();
        GatedTransport hostSide = new GatedTransport();
        CheckRunner runner = new CheckRunner(hostSide, Clock.systemUTC());
        try (Leases a = new Leases(store, "a", TTL, Clock.systemUTC());
             Leases b = new Leases(store, "b", TTL, Clock.systemUTC())) {
            new StoredRunSharing(a, Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(30))
                    .run(new StatusCheck(), WEB03, CheckOptions.defaults(), false, runner);
            StoredRunSharing sharingB = new StoredRunSharing(b, Duration.ofSeconds(60), Duration.ofSeconds(5),
                    Duration.ofSeconds(30));
            CheckRun kept = sharingB.run(new StatusCheck(), WEB03, CheckOptions.defaults(), false, runner);
            assertEquals(1, hostSide.sessionsOpened());
            assertEquals(Verdict.HEALTHY, kept.report().verdict());
            assertTrue(kept.report().cached(), "served with its age, like a cache hit");
            sharingB.run(new StatusCheck(), WEB03, CheckOptions.defaults(), true, runner);
            assertEquals(2, hostSide.sessionsOpened(), "fresh means a run that starts after the ask");
        }
    }

    @Test
    void holderDiesMidRun_theWaitingReplicaRunsOnceTheLeaseEnds() {
        MemoryReplicaStore store = new MemoryReplicaStore();
        GatedTransport hostSide = new GatedTransport();
        CheckRunner runner = new CheckRunner(hostSide, Clock.systemUTC());
        assertTrue(store.take(StoredRunSharing.name(StatusCheck.NAME, "web-03"), "dead",
                java.time.Instant.now().plus(TTL), java.time.Instant.now()));
        try (Leases b = new Leases(store, "b", TTL, Clock.systemUTC())) {
            long start = System.nanoTime();
            CheckRun run = new StoredRunSharing(b, Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(30))
                    .run(new StatusCheck(), WEB03, CheckOptions.defaults(), false, runner);
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(Verdict.HEALTHY, run.report().verdict());
            assertEquals(1, hostSide.sessionsOpened());
            assertTrue(tookMs >= TTL.toMillis() - 100, "waited out the dead holder's lease: " + tookMs + " ms");
        }
    }
}
