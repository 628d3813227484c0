package dev.chatops.core.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.audit.AuditEntry;
import dev.chatops.core.audit.AuditEntry.CacheUse;
import dev.chatops.core.dispatch.CheckRequest;
import dev.chatops.core.dispatch.Requester;
import dev.chatops.core.error.BotException;
import dev.chatops.core.host.Host;
import dev.chatops.core.schedule.Schedule;
import dev.chatops.core.spi.Verdict;
import dev.chatops.core.testing.DispatchBench;
import dev.chatops.core.testing.StatusCheck;
import dev.chatops.core.transport.TransportException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SweepTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** Monday 23 November 2026, 08:00 in Berlin. */
    private static final Instant MONDAY_8 = Instant.parse("2026-11-23T07:00:00Z");

    private static Schedule morning(List<String> hosts, List<String> tags) {
        return new Schedule("morning", "0 8 * * MON-FRI", BERLIN, "C0456EFGH", StatusCheck.NAME, hosts, tags);
    }

    private static String name(int i) {
        return String.format("web-%02d", i);
    }

    @Test
    void sweep_fiftyHosts_boundedConcurrencyAndAllListed() throws Exception {
        int limit = 4;
        DispatchBench.Builder builder = DispatchBench.builder().limits(limit, 0).start(MONDAY_8);
        IntStream.rangeClosed(1, 50).forEach(i -> builder.host(Host.ssh(name(i), "127.0.0.1", 22, Set.of("web"))));
        try (DispatchBench bench = builder.build()) {
            Sweep sweep = new Sweep(bench.dispatcher, bench.clock);
            bench.transport.holdAll();

            CompletableFuture<SweepResult> running = CompletableFuture.supplyAsync(
                    () -> sweep.run(morning(List.of(), List.of("web"))));

            // all 50 are handed over; exactly the limit run, the rest wait in line
            assertTrue(bench.transport.awaitOpened(limit));
            assertTrue(DispatchBench.eventually(() -> bench.queue.waiting() == 50 - limit),
                    "waiting: " + bench.queue.waiting());
            assertEquals(limit, bench.transport.inFlight());
            assertEquals(limit, bench.queue.running());

            bench.transport.releaseAll();
            SweepResult result = running.get(60, TimeUnit.SECONDS);

            assertEquals(50, bench.transport.sessionsOpened());
            assertTrue(bench.transport.maxInFlight() <= limit, "max in flight " + bench.transport.maxInFlight());
            assertEquals(50, result.lines().size());
            assertEquals(50, result.count(Verdict.HEALTHY));
            String text = SweepSummary.text(result, "in the thread");
            for (int i = 1; i <= 50; i++) {
                assertTrue(text.contains("🟢 " + name(i) + "  healthy\n"), name(i) + " missing from\n" + text);
            }
            assertTrue(text.startsWith("☀️ status morning check · 50 hosts · 08:00 Europe/Berlin\n"), text);
            assertTrue(text.endsWith("All 50 hosts are healthy.\n"), text);
            List<AuditEntry> audit = bench.audit.entries();
            assertEquals(50, audit.size());
            assertTrue(audit.stream().allMatch(e -> e.via().equals("schedule") && e.user().equals("morning")
                    && e.channel().equals("C0456EFGH") && e.cache() == CacheUse.FRESH));
        }
    }

    @Test
    void sweep_mixedVerdicts_worstFirstWithFullReports() {
        try (DispatchBench bench = DispatchBench.builder().hosts("web-01", "web-02", "web-03", "web-04")
                .start(MONDAY_8).build()) {
            bench.transport.status("web-02", "down 412")
                    .status("web-04", "weird")
                    .fail("web-03", new TransportException(TransportException.Reason.TIMEOUT,
                            "cannot connect to web-03 (10.0.3.13:22): timed out after 5 s"));

            SweepResult result = new Sweep(bench.dispatcher, bench.clock)
                    .run(morning(List.of("web-01", "web-02", "web-03", "web-04"), List.of()));

            assertEquals(List.of("web-02", "web-03", "web-04", "web-01"),
                    result.lines().stream().map(SweepLine::host).toList());
            assertEquals(List.of("web-02", "web-03", "web-04"),
                    result.notHealthy().stream().map(SweepLine::host).toList());
            SweepLine worst = result.lines().get(0);
            assertEquals("upstream-down", worst.report().causes().get(0).id());
            assertEquals("nothing listens on 127.0.0.1:3000", worst.report().causes().get(0).detail());
            assertEquals("""
                    ☀️ status morning check · 4 hosts · 08:00 Europe/Berlin
                    🔴 web-02  upstream-down: upstream shop_app is down (412× 502)
                    ⚪ web-03  unreachable: cannot connect to web-03 (10.0.3.13:22): timed out after 5 s
                    🟡 web-04  inconclusive: status says `weird`
                    🟢 web-01  healthy
                    Details for web-02, web-03 and web-04 in the thread.
                    """, SweepSummary.text(result, "in the thread"));
        }
    }

    @Test
    void sweep_bypassesCacheAndRefreshesIt() {
        try (DispatchBench bench = DispatchBench.builder().hosts("web-01").start(MONDAY_8).build()) {
            bench.dispatcher.handle(DispatchBench.cli("web-01"));
            new Sweep(bench.dispatcher, bench.clock).run(morning(List.of("web-01"), List.of()));
            assertEquals(2, bench.transport.sessionsOpened());

            assertTrue(bench.dispatcher.handle(DispatchBench.cli("web-01")).report().cached());
            assertEquals(2, bench.transport.sessionsOpened());
        }
    }

    @Test
    void hosts_namesThenTags_inOrderWithoutRepeats() {
        try (DispatchBench bench = DispatchBench.builder()
                .host(Host.ssh("web-01", "10.0.0.1", 22, Set.of("web")))
                .host(Host.ssh("db-01", "10.0.0.2", 22, Set.of("db")))
                .host(Host.ssh("web-02", "10.0.0.3", 22, Set.of("web", "prod")))
                .host(Host.ssh("lb-01", "10.0.0.4", 22, Set.of("prod")))
                .build()) {
            assertEquals(List.of("db-01", "web-02", "web-01", "lb-01"),
                    Sweep.hosts(morning(List.of("db-01", "web-02"), List.of("web", "prod")), bench.dispatcher.allowlist()));
        }
    }

    @Test
    void sweep_unknownCheck_refusedBeforeAnyRun() {
        try (DispatchBench bench = DispatchBench.builder().hosts("web-01").build()) {
            Schedule s = new Schedule("morning", "0 8 * * *", BERLIN, "C1", "nginx502", List.of("web-01"), List.of());
            BotException e = assertThrows(BotException.class, () -> new Sweep(bench.dispatcher, bench.clock).run(s));
            assertTrue(e.getMessage().startsWith("unknown check `nginx502`"), e.getMessage());
            assertEquals(0, bench.transport.sessionsOpened());
        }
    }

    @Test
    void sweep_hostDroppedFromAllowlist_getsItsLine() {
        try (DispatchBench bench = DispatchBench.builder().hosts("web-01").start(MONDAY_8).build()) {
            SweepResult r = new Sweep(bench.dispatcher, bench.clock).run(morning(List.of("web-01", "web-09"), List.of()));
            SweepLine gone = r.lines().get(0);
            assertEquals("web-09", gone.host());
            assertEquals(Verdict.UNREACHABLE, gone.verdict());
            assertTrue(gone.report().summary().startsWith("unknown host `web-09`"));
            assertFalse(r.lines().get(1).report().cached());
        }
    }

    @Test
    void summary_oneHealthyHost_saysSo() {
        try (DispatchBench bench = DispatchBench.builder().hosts("web-01")
                .start(Instant.parse("2026-11-23T21:30:00Z")).build()) {
            SweepResult r = new Sweep(bench.dispatcher, bench.clock).run(morning(List.of("web-01"), List.of()));
            assertEquals("""
                    🌙 status morning check · 1 host · 22:30 Europe/Berlin
                    🟢 web-01  healthy
                    The host is healthy.
                    """, SweepSummary.text(r, "in the thread"));
        }
    }

    @Test
    void checkRequest_fromSchedule_isBackgroundRequester() {
        Requester r = Requester.schedule("morning", "C0456EFGH");
        assertTrue(r.isSchedule());
        assertFalse(r.isSlack());
        assertEquals("schedule", new CheckRequest("status", "web-01", true, r).requester().via());
    }
}
