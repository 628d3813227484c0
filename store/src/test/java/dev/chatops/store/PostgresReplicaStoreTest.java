package dev.chatops.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.replica.SharedRun;
import dev.chatops.core.spi.Verdict;
import dev.chatops.store.testing.RealPostgres;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Leases and shared runs on a real PostgreSQL server started for this class. */
class PostgresReplicaStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");
    private static RealPostgres pg;

    @BeforeAll
    static void startServer() throws Exception {
        pg = RealPostgres.start();
    }

    @AfterAll
    static void stopServer() {
        if (pg != null) {
            pg.close();
        }
    }

    private static JdbcReplicaStore store() {
        return SqlStores.postgresReplicas(pg.newDatabase(), Optional.of(pg.user()), Optional.of(pg.password()));
    }

    @Test
    void take_heldByAnother_refusedUntilItExpires() {
        JdbcReplicaStore s = store();
        assertTrue(s.take("sweep/morning/1", "a", T0.plusSeconds(30), T0));
        assertFalse(s.take("sweep/morning/1", "b", T0.plusSeconds(40), T0.plusSeconds(10)), "a holds it");
        assertTrue(s.take("sweep/morning/1", "a", T0.plusSeconds(60), T0.plusSeconds(20)), "a may take its own again");
        assertTrue(s.take("sweep/morning/1", "b", T0.plusSeconds(100), T0.plusSeconds(61)), "expired: b takes over");
        assertFalse(s.renew("sweep/morning/1", "a", T0.plusSeconds(120)), "a lost it");
        assertTrue(s.renew("sweep/morning/1", "b", T0.plusSeconds(120)));
    }

    @Test
    void finish_leaseIsNeverTakenAgain() {
        JdbcReplicaStore s = store();
        assertTrue(s.take("sweep/morning/2", "a", T0.plusSeconds(30), T0));
        assertFalse(s.finished("sweep/morning/2"));
        s.finish("sweep/morning/2", "a");
        assertTrue(s.finished("sweep/morning/2"));
        assertFalse(s.take("sweep/morning/2", "b", T0.plusSeconds(100), T0.plusSeconds(90)));
        assertFalse(s.take("sweep/morning/2", "a", T0.plusSeconds(100), T0.plusSeconds(90)));
    }

    @Test
    void release_letsAnotherTakeItAtOnce() {
        JdbcReplicaStore s = store();
        assertTrue(s.take("run/nginx502/web-03", "a", T0.plusSeconds(30), T0));
        s.release("run/nginx502/web-03", "b");
        assertFalse(s.take("run/nginx502/web-03", "b", T0.plusSeconds(31), T0.plusSeconds(1)), "b cannot release a's");
        s.release("run/nginx502/web-03", "a");
        assertTrue(s.take("run/nginx502/web-03", "b", T0.plusSeconds(31), T0.plusSeconds(1)));
    }

    @Test
    void take_manyRacingAtOnce_exactlyOneWins() throws Exception {
        JdbcReplicaStore s = store();
        int racers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> wins = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                String holder = "replica-" + i;
                wins.add(pool.submit(() -> {
                    go.await();
                    return s.take("sweep/morning/3", holder, T0.plusSeconds(30), T0);
                }));
            }
            go.countDown();
            int won = 0;
            for (Future<Boolean> w : wins) {
                won += w.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(1, won);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void saveRun_newestKept_olderArrivingLateIgnored() {
        JdbcReplicaStore s = store();
        assertEquals(Optional.empty(), s.latestRun("nginx502", "web-03"));
        SharedRun newer = new SharedRun("nginx502", "web-03", T0.plusSeconds(10), T0.plusSeconds(12), Verdict.HEALTHY,
                Optional.of("{\"format\":1}"), "no 502s", 2000, Optional.of("SHA256:abc"));
        SharedRun older = new SharedRun("nginx502", "web-03", T0, T0.plusSeconds(20), Verdict.UNREACHABLE,
                Optional.empty(), "web-03 did not answer", 5000, Optional.empty());
        s.saveRun(newer);
        s.saveRun(older);
        assertEquals(Optional.of(newer), s.latestRun("nginx502", "web-03"));
        SharedRun newest = new SharedRun("nginx502", "web-03", T0.plusSeconds(30), T0.plusSeconds(31),
                Verdict.UNREACHABLE, Optional.empty(), "web-03 did not answer", 5000, Optional.empty());
        s.saveRun(newest);
        assertEquals(Optional.of(newest), s.latestRun("nginx502", "web-03"));
    }

    @Test
    void prune_removesEndedLeasesAndOldRuns() {
        JdbcReplicaStore s = store();
        s.take("sweep/morning/4", "a", T0.plusSeconds(30), T0);
        s.take("sweep/morning/5", "a", T0.plusSeconds(3600), T0);
        s.saveRun(new SharedRun("nginx502", "web-03", T0, T0.plusSeconds(1), Verdict.HEALTHY, Optional.empty(), "ok",
                1, Optional.empty()));
        assertEquals(2, s.prune(T0.plusSeconds(60)));
        assertTrue(s.take("sweep/morning/4", "b", T0.plusSeconds(90), T0.plusSeconds(61)), "pruned: free again");
        assertFalse(s.take("sweep/morning/5", "b", T0.plusSeconds(90), T0.plusSeconds(61)), "still held");
    }
}
