package dev.chatops.core.dispatch;

import static dev.chatops.core.testing.DispatchBench.cli;
import static dev.chatops.core.testing.DispatchBench.cliFresh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.audit.AuditEntry;
import dev.chatops.core.audit.AuditEntry.CacheUse;
import dev.chatops.core.report.Freshness;
import dev.chatops.core.run.CheckRun;
import dev.chatops.core.spi.Verdict;
import dev.chatops.core.testing.DispatchBench;
import dev.chatops.core.transport.TransportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DispatcherCacheTest {

    private static final int PEOPLE = 10;

    @Test
    void concurrentIdenticalRequests_shareOneTransportSession() throws Exception {
        // nothing is kept after the run: only the sharing of the run in flight can save sessions
        try (DispatchBench bench = DispatchBench.builder().hosts("web-03").ttl(Duration.ZERO, Duration.ZERO).build()) {
            bench.transport.hold("web-03");
            ExecutorService people = Executors.newFixedThreadPool(PEOPLE);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<CompletableFuture<CheckRun>>> asked = new ArrayList<>();
                for (int i = 0; i < PEOPLE; i++) {
                    asked.add(people.submit(() -> {
                        go.await();
                        return bench.dispatcher.submit(cli("web-03"), DispatchListener.NONE);
                    }));
                }
                go.countDown();
                List<CompletableFuture<CheckRun>> answers = new ArrayList<>();
                for (Future<CompletableFuture<CheckRun>> f : asked) {
                    answers.add(f.get(20, TimeUnit.SECONDS));
                }
                // every request is in before the host answers
                bench.transport.release("web-03");
                CheckRun first = answers.get(0).get(20, TimeUnit.SECONDS);
                for (CompletableFuture<CheckRun> a : answers) {
                    assertSame(first, a.get(20, TimeUnit.SECONDS));
                }
            } finally {
                people.shutdownNow();
            }
            assertEquals(1, bench.transport.sessionsOpened());
            List<AuditEntry> entries = bench.audit.entries();
            assertEquals(PEOPLE, entries.size());
            assertEquals(1, entries.stream().filter(e -> e.cache() == CacheUse.MISS).count());
            assertEquals(PEOPLE - 1, entries.stream().filter(e -> e.cache() == CacheUse.JOINED).count());
        }
    }

    @Test
    void concurrentBlockingHandles_oneTransportSession() throws Exception {
        try (DispatchBench bench = DispatchBench.builder().hosts("web-03").build()) {
            bench.transport.hold("web-03");
            ExecutorService people = Executors.newFixedThreadPool(PEOPLE);
            try {
                List<Future<CheckRun>> answers = new ArrayList<>();
                for (int i = 0; i < PEOPLE; i++) {
                    answers.add(people.submit(() -> bench.dispatcher.handle(cli("web-03"))));
                }
                assertTrue(bench.transport.awaitOpened(1));
                bench.transport.release("web-03");
                for (Future<CheckRun> a : answers) {
                    assertEquals(Verdict.HEALTHY, a.get(20, TimeUnit.SECONDS).report().verdict());
                }
            } finally {
                people.shutdownNow();
            }
            // whoever came after the run ended got the kept result
            assertEquals(1, bench.transport.sessionsOpened());
            assertEquals(PEOPLE, bench.audit.entries().size());
        }
    }

    @Test
    void ttl_withinTtl_servedFromCacheWithAge() {
        try (DispatchBench bench = DispatchBench.builder().hosts("web-03").build()) {
            CheckRun first = bench.dispatcher.handle(cli("web-03"));
            assertFalse(first.report().cached());
            assertEquals("fresh", Freshness.describe(first.report(), bench.clock.instant()));

            bench.clock.advance(Duration.ofSeconds(42));
            CheckRun second = bench.dispatcher.handle(cli("web-03"));

            assertTrue(second.report().cached());
            assertEquals(first.report().collectedAt(), second.report().collectedAt());
            assertEquals("from 42 s ago", Freshness.describe(second.report(), bench.clock.instant()));
            assertEquals(first.hostKeyFingerprint(), second.hostKeyFingerprint());
            assertEquals(1, bench.transport.sessionsOpened());
            assertEquals(CacheUse.HIT, bench.audit.entries().get(1).cache());
        }
    }

    @Test
    void ttl_expired_runsAgain() {
        try (DispatchBench bench = DispatchBench.builder().hosts("web-03").build()) {
            bench.dispatcher.handle(cli("web-03"));
            bench.clock.advance(Duration.ofSeconds(59));
            assertTrue(bench.dispatcher.handle(cli("web-03")).report().cached());

            bench.clock.advance(Duration.ofSeconds(2));
            CheckRun again = bench.dispatcher.handle(cli("web-03"));

            assertFalse(again.report().cached());
            assertEquals(bench.clock.instant(), again.report().collectedAt());
            assertEquals(2, bench.transport.sessionsOpened());
        }
    }

    @Test
    void fresh_bypassesAndRefreshesCache() {
        try (DispatchBench bench = DispatchBench.builder().hosts("web-03").build()) {
            bench.dispatcher.handle(cli("web-03"));
            bench.clock.advance(Duration.ofSeconds(10));

            CheckRun fresh = bench.dispatcher.handle(cliFresh("web-03"));
            assertFalse(fresh.report().cached());
            assertEquals(2, bench.transport.sessionsOpened());
            assertEquals(CacheUse.FRESH, bench.audit.entries().get(1).cache());

            // what the fresh run found is now what others get, aged from its own collection
            bench.clock.advance(Duration.ofSeconds(10));
            CheckRun after = bench.dispatcher.handle(cli("web-03"));
            assertTrue(after.report().cached());
            assertEquals("from 10 s ago", Freshness.describe(after.report(), bench.clock.instant()));
            assertEquals(2, bench.transport.sessionsOpened());

            // and it lives a whole ttl from the fresh run, not from the first
            bench.clock.advance(Duration.ofSeconds(45));
            assertTrue(bench.dispatcher.handle(cli("web-03")).report().cached());
            assertEquals(2, bench.transport.sessionsOpened());
        }
    }

    @Test
    void unreachable_keptOnlyForUnreachableTtl() {
        try (DispatchBench bench = DispatchBench.builder().hosts("web-03", "web-04").build()) {
            bench.transport.fail("web-04", new TransportException(TransportException.Reason.TIMEOUT,
                    "cannot connect to web-04 (127.0.0.1:22): timed out after 5 s; check that it is up"));
            CheckRun down = bench.dispatcher.handle(cli("web-04"));
            assertEquals(Verdict.UNREACHABLE, down.report().verdict());

            bench.clock.advance(Duration.ofSeconds(4));
            assertTrue(bench.dispatcher.handle(cli("web-04")).report().cached());
            assertEquals(1, bench.transport.sessionsOpened("web-04"));

            bench.clock.advance(Duration.ofSeconds(2));
            assertFalse(bench.dispatcher.handle(cli("web-04")).report().cached());
            assertEquals(2, bench.transport.sessionsOpened("web-04"));

            // a healthy answer of the same age is still kept
            bench.dispatcher.handle(cli("web-03"));
            bench.clock.advance(Duration.ofSeconds(6));
            assertTrue(bench.dispatcher.handle(cli("web-03")).report().cached());
        }
    }

    @Test
    void unreachable_zeroUnreachableTtl_neverKeptAndReplacesGoodResult() {
        try (DispatchBench bench = DispatchBench.builder().hosts("web-04")
                .ttl(Duration.ofSeconds(60), Duration.ZERO).build()) {
            bench.dispatcher.handle(cli("web-04"));
            bench.transport.fail("web-04", new TransportException(TransportException.Reason.CONNECTION_REFUSED,
                    "web-04 refused the connection on port 22; check sshd"));

            assertEquals(Verdict.UNREACHABLE, bench.dispatcher.handle(cliFresh("web-04")).report().verdict());
            // the healthy result from before is gone, and nothing was kept in its place
            CheckRun next = bench.dispatcher.handle(cli("web-04"));
            assertFalse(next.report().cached());
            assertEquals(Verdict.UNREACHABLE, next.report().verdict());
            assertEquals(3, bench.transport.sessionsOpened());
        }
    }
}
