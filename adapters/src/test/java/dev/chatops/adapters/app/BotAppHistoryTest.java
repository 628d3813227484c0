package dev.chatops.adapters.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.config.BotConfig;
import dev.chatops.config.ConfigLoader;
import dev.chatops.core.dispatch.CheckRequest;
import dev.chatops.core.dispatch.DispatchListener;
import dev.chatops.core.dispatch.Requester;
import dev.chatops.core.history.History;
import dev.chatops.core.history.StoredReport;
import dev.chatops.core.history.StoredSweep;
import dev.chatops.core.history.StoredSweep.SweptHost;
import dev.chatops.core.registry.CheckRegistry;
import dev.chatops.core.run.CheckRun;
import dev.chatops.core.spi.Verdict;
import dev.chatops.core.sweep.SweepResult;
import dev.chatops.core.sweep.SweepSummary;
import dev.chatops.core.testing.GatedTransport;
import dev.chatops.core.testing.MutableClock;
import dev.chatops.core.testing.StatusCheck;
import dev.chatops.store.SqlStores;
import dev.chatops.store.testing.RealPostgres;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled bot with a real history: scheduled sweeps as a diff, retention, a store that fails, a
 * store opened ahead, PostgreSQL.
 */
class BotAppHistoryTest {

    @TempDir
    Path dir;

    private BotConfig config(String state, Map<String, String> env) throws Exception {
        Path file = dir.resolve("bot.yaml");
        Files.writeString(file, """
                hosts:
                  web-01: {transport: local, tags: [web]}
                  web-02: {transport: local, tags: [web]}
                schedules:
                  - name: morning
                    cron: "0 8 * * *"
                    zone: Europe/Berlin
                    channel: C0456EFGH
                    check: status
                    tags: [web]
                %s""".formatted(state));
        return new ConfigLoader(env, dir).load(file);
    }

    /** What the bot logs of a failing history store while this is open. */
    private static final class StoreFailures extends Handler implements AutoCloseable {
        final List<String> messages = new CopyOnWriteArrayList<>();

        StoreFailures() {
            Logger.getLogger("").addHandler(this);
        }

        @Override
        public void publish(LogRecord r) {
            if (r.getMessage() != null && r.getMessage().startsWith("the history store failed")) {
                messages.add(r.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            Logger.getLogger("").removeHandler(this);
        }
    }

    @Test
    void schedule_firesThroughTheScheduler_andPostsWhatChangedSinceTheRecordedSweep() throws Exception {
        // 200 ms before Monday 08:00 in Berlin: the real timer fires the sweep almost at once
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T07:00:00Z").minusMillis(200));
        BotConfig config = config("", Map.of());
        History history = SqlStores.sqlite(config.state().dir());
        Instant sunday = Instant.parse("2026-11-22T07:00:00Z");
        history.saveSweep(new StoredSweep("recorded-1", "morning", "status", sunday.minus(Duration.ofDays(1)), 900,
                List.of(new SweptHost("web-01", Verdict.CAUSE_FOUND, "upstream-down", 40),
                        new SweptHost("web-02", Verdict.HEALTHY, "", 0))));
        history.saveSweep(new StoredSweep("recorded-2", "morning", "status", sunday, 900,
                List.of(new SweptHost("web-01", Verdict.CAUSE_FOUND, "upstream-down", 80),
                        new SweptHost("web-02", Verdict.UNREACHABLE, "", 0))));
        GatedTransport transport = new GatedTransport().status("web-01", "down 20").status("web-02", "healthy");
        List<SweepResult> published = new CopyOnWriteArrayList<>();
        try (BotApp app = new BotApp(config, CheckRegistry.of(new StatusCheck()), transport, clock, clock.ticker(),
                history)) {
            app.startSchedules((schedule, result) -> published.add(result));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (published.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        assertEquals(1, published.size());
        assertEquals("""
                ☀️ status morning check · 2 hosts · 07:59 Europe/Berlin
                Still failing:
                🔴 web-01  upstream-down: upstream shop_app is down (20× 502) · since Sat 08:00  ▃▇▂
                Recovered:
                🟢 web-02  recovered (was unreachable)
                Details for web-01 in the thread.
                """, SweepSummary.text(published.get(0), "in the thread"));
        List<StoredSweep> kept = history.sweeps("morning", 10);
        assertEquals(3, kept.size(), "the scheduled sweep is kept for the next comparison");
        assertEquals(new SweptHost("web-01", Verdict.CAUSE_FOUND, "upstream-down", 20), kept.get(0).hosts().get(0));
        assertEquals(2, history.reports("web-01", Instant.EPOCH, 10).size() + history.reports("web-02", Instant.EPOCH,
                10).size(), "each host's report of the sweep is kept");
        assertEquals("schedule:morning", history.reports("web-01", Instant.EPOCH, 10).get(0).requester());
        assertEquals("C0456EFGH", history.reports("web-01", Instant.EPOCH, 10).get(0).channel());
    }

    @Test
    void retention_removesWhatIsOlderThanStateKeep() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));
        BotConfig config = config("state: {keep: 7d}\n", Map.of());
        History history = SqlStores.sqlite(config.state().dir());
        history.saveReport(new StoredReport("old", "status", "web-01", clock.instant().minus(Duration.ofDays(8)),
                Verdict.HEALTHY, "", "cli:root", "", "{}"));
        history.saveReport(new StoredReport("new", "status", "web-01", clock.instant().minus(Duration.ofDays(6)),
                Verdict.HEALTHY, "", "cli:root", "", "{}"));
        try (BotApp app = new BotApp(config, CheckRegistry.of(new StatusCheck()), new GatedTransport(), clock,
                clock.ticker(), history)) {
            assertEquals(java.util.Optional.of(1), app.enforceRetention());
        }
        assertEquals(List.of("new"), history.reports("web-01", Instant.EPOCH, 10).stream().map(StoredReport::id)
                .toList());
    }

    @Test
    void storeDown_reportsAreStillGiven_andTheFailureIsLoggedOnce() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        BotConfig config = config("state: {url: 'jdbc:postgresql://127.0.0.1:" + closedPort + "/chatops', "
                + "password: '${PGPASSWORD}'}\n", Map.of("PGPASSWORD", "sekrit-pw-771"));
        MutableClock clock = new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));
        StoreFailures logged = new StoreFailures();
        GatedTransport transport = new GatedTransport().status("web-01", "down 3");
        try (logged; BotApp app = new BotApp(config, CheckRegistry.of(new StatusCheck()), transport, clock,
                clock.ticker(), new OpenOnFirstUse(() -> BotApp.open(config.state())))) {
            for (int i = 0; i < 3; i++) {
                CheckRun run = app.dispatcher().handle(new CheckRequest("status", "web-01", true, Requester.cli()));
                assertEquals(Verdict.CAUSE_FOUND, run.report().verdict());
            }
        }
        List<String> failures = logged.messages;
        assertEquals(1, failures.size(), String.valueOf(failures));
        assertTrue(failures.get(0).contains("cannot keep reports") && failures.get(0).contains("127.0.0.1:"
                + closedPort), failures.get(0));
        assertFalse(failures.get(0).contains("sekrit-pw-771"), failures.get(0));
    }

    @Test
    void openHistoryAhead_opensTheStoreWhileTheRunIsUnderWay_andTheReportIsKept() throws Exception {
        BotConfig config = config("", Map.of());
        MutableClock clock = new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));
        AtomicInteger opens = new AtomicInteger();
        CountDownLatch opened = new CountDownLatch(1);
        OpenOnFirstUse store = new OpenOnFirstUse(() -> {
            opens.incrementAndGet();
            History h = SqlStores.sqlite(config.state().dir());
            opened.countDown();
            return h;
        });
        GatedTransport transport = new GatedTransport().status("web-01", "down 3").hold("web-01");
        try (BotApp app = new BotApp(config, CheckRegistry.of(new StatusCheck()), transport, clock, clock.ticker(),
                store)) {
            CompletableFuture<CheckRun> run = app.dispatcher().submit(new CheckRequest("status", "web-01", true,
                    Requester.cli()), DispatchListener.NONE);
            assertTrue(transport.awaitOpened(1), "the run did not start");

            app.openHistoryAhead();

            assertTrue(opened.await(20, TimeUnit.SECONDS), "the store was not opened while the host was held");
            transport.release("web-01");
            assertEquals(Verdict.CAUSE_FOUND, run.get(20, TimeUnit.SECONDS).report().verdict());
        }
        assertEquals(1, opens.get(), "the report found the store already open");
        List<StoredReport> kept = SqlStores.sqlite(config.state().dir()).reports("web-01", Instant.EPOCH, 10);
        assertEquals(1, kept.size());
        assertEquals("upstream-down", kept.get(0).causeId());
    }

    @Test
    void openHistoryAhead_storeDown_reportsAreStillGiven_andTheFailureIsLoggedOnce() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        BotConfig config = config("state: {url: 'jdbc:postgresql://127.0.0.1:" + closedPort + "/chatops'}\n",
                Map.of());
        MutableClock clock = new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));
        AtomicInteger opens = new AtomicInteger();
        StoreFailures logged = new StoreFailures();
        GatedTransport transport = new GatedTransport().status("web-01", "down 3");
        try (logged; BotApp app = new BotApp(config, CheckRegistry.of(new StatusCheck()), transport, clock,
                clock.ticker(), new OpenOnFirstUse(() -> {
                    opens.incrementAndGet();
                    return BotApp.open(config.state());
                }))) {
            app.openHistoryAhead();
            for (int i = 0; i < 2; i++) {
                CheckRun run = app.dispatcher().handle(new CheckRequest("status", "web-01", true, Requester.cli()));
                assertEquals(Verdict.CAUSE_FOUND, run.report().verdict());
            }
        }
        List<String> failures = logged.messages;
        assertEquals(1, failures.size(), String.valueOf(failures));
        assertTrue(failures.get(0).contains("cannot keep reports") && failures.get(0).contains("127.0.0.1:"
                + closedPort), failures.get(0));
        assertEquals(3, opens.get(), "opened ahead once, then again by each report, as the store was down");
    }

    @Test
    void postgres_configuredByUrl_keepsReportsWithCredentialsFromTheEnvironment() throws Exception {
        try (RealPostgres pg = RealPostgres.start()) {
            String url = pg.newDatabase();
            BotConfig config = config("state:\n  url: " + url + "\n  user: ${PGUSER}\n  password: ${PGPASSWORD}\n",
                    Map.of("PGUSER", pg.user(), "PGPASSWORD", pg.password()));
            MutableClock clock = new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));
            GatedTransport transport = new GatedTransport().status("web-02", "down 9");
            try (BotApp app = new BotApp(config, CheckRegistry.of(new StatusCheck()), transport, clock,
                    clock.ticker(), new OpenOnFirstUse(() -> BotApp.open(config.state())))) {
                app.dispatcher().handle(new CheckRequest("status", "web-02", false, Requester.slack("U1", "C1")));
            }
            List<StoredReport> kept = SqlStores.postgres(url, java.util.Optional.of(pg.user()),
                    java.util.Optional.of(pg.password())).reports("web-02", Instant.EPOCH, 10);
            assertEquals(1, kept.size());
            assertEquals("upstream-down", kept.get(0).causeId());
            assertEquals("U1", kept.get(0).requester());
            assertEquals("C1", kept.get(0).channel());
            assertTrue(kept.get(0).json().contains("\"verdict\": \"cause-found\""), kept.get(0).json());
        }
    }
}
