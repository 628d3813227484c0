package dev.chatops.core.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.history.StoredSweep;
import dev.chatops.core.history.StoredSweep.SweptHost;
import dev.chatops.core.report.Report;
import dev.chatops.core.schedule.Schedule;
import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The morning post's comparison, on recorded sweeps. */
class SweepDiffTest {

    private static final Schedule MORNING = new Schedule("morning", "0 8 * * *", ZoneId.of("Europe/Berlin"), "C1",
            "nginx502", List.of("web-01", "web-02", "web-03", "web-04"), List.of());
    /** Wednesday 08:00 in Berlin. */
    private static final Instant NOW = Instant.parse("2026-11-25T07:00:00Z");

    private static SweepLine line(String host, Verdict verdict, String summary) {
        List<Cause> causes = verdict == Verdict.CAUSE_FOUND
                ? List.of(new Cause("upstream-down", "Upstream is not running", 0.9, "", List.of(), List.of()))
                : List.of();
        return new SweepLine(host, new Report("nginx502", host, NOW, Duration.ofMinutes(15), 10, false, verdict,
                summary, causes, List.of(), List.of()));
    }

    private static SweepResult sweep(SweepLine... lines) {
        return new SweepResult(MORNING, NOW, 1000, List.of(lines));
    }

    private static StoredSweep recorded(String id, Instant at, SweptHost... hosts) {
        return new StoredSweep(id, "morning", "nginx502", at, 900, List.of(hosts));
    }

    private static SweptHost healthy(String host) {
        return new SweptHost(host, Verdict.HEALTHY, "", 0);
    }

    private static SweptHost down(String host, int count) {
        return new SweptHost(host, Verdict.CAUSE_FOUND, "upstream-down", count);
    }

    @Test
    void between_noEarlierSweep_isEmpty_andTheSummaryListsEveryHost() {
        SweepResult first = sweep(line("web-01", Verdict.HEALTHY, "ok"));
        assertEquals(Optional.empty(), SweepDiff.between(first, List.of()));
        assertEquals(List.of("🟢 web-01  healthy"), SweepSummary.body(first));
    }

    @Test
    void between_sortsHostsIntoNewStillRecoveredAndUnchanged() {
        SweepResult now = sweep(
                line("web-01", Verdict.CAUSE_FOUND, "upstream shop_app is down (30× 502)"),
                line("web-02", Verdict.CAUSE_FOUND, "upstream shop_app is down (10× 502)"),
                line("web-03", Verdict.HEALTHY, "ok"),
                line("web-04", Verdict.HEALTHY, "ok"),
                line("web-05", Verdict.UNREACHABLE, "cannot connect"));
        Instant tue = NOW.minus(Duration.ofDays(1));
        Instant mon = NOW.minus(Duration.ofDays(2));
        List<StoredSweep> earlier = List.of(
                recorded("s2", tue, healthy("web-01"), down("web-02", 20), down("web-03", 5), healthy("web-04")),
                recorded("s1", mon, healthy("web-01"), down("web-02", 40), healthy("web-03"), healthy("web-04")));

        SweepDiff d = SweepDiff.between(now.withDiff(dummy()), earlier).orElseThrow();

        assertEquals(List.of("web-01", "web-05"), d.newFailures().stream().map(SweepLine::host).toList(),
                "web-05 was not in the last sweep: failing now is news");
        assertEquals(1, d.stillFailing().size());
        SweepDiff.Still still = d.stillFailing().get(0);
        assertEquals("web-02", still.line().host());
        assertEquals(mon, still.since());
        assertFalse(still.atLeast());
        assertEquals(Optional.empty(), still.was());
        assertEquals(List.of("web-03"), d.recovered().stream().map(r -> r.line().host()).toList());
        assertEquals(1, d.unchangedHealthy());
        assertEquals(List.of(40, 20, 10), d.gatewayCounts().get("web-02"));
        assertEquals("▇▃▂", d.sparkline("web-02"));
        assertEquals(List.of(0, 0, 30), d.gatewayCounts().get("web-01"));
        assertEquals("▁▁▇", d.sparkline("web-01"));
        assertEquals(List.of(0), d.gatewayCounts().get("web-05"), "no earlier sweep held web-05");
        assertFalse(d.gatewayCounts().containsKey("web-03"), "no sparkline for healthy hosts");
    }

    /** A diff is recomputed from the lines, never from one attached before. */
    private static SweepDiff dummy() {
        return new SweepDiff(Instant.EPOCH, List.of(), List.of(), List.of(), 0, java.util.Map.of());
    }

    @Test
    void between_aHostWhoseFailureChanged_saysWhatItWas() {
        SweepResult now = sweep(line("web-02", Verdict.CAUSE_FOUND, "down (3× 502)"));
        List<StoredSweep> earlier = List.of(recorded("s1", NOW.minus(Duration.ofDays(1)),
                new SweptHost("web-02", Verdict.UNREACHABLE, "", 0)));
        SweepDiff d = SweepDiff.between(now, earlier).orElseThrow();
        assertEquals(Optional.of("unreachable"), d.stillFailing().get(0).was());
        assertTrue(SweepSummary.body(now.withDiff(d)).get(1).startsWith(
                "🔴 web-02  upstream-down: down (3× 502) (was unreachable) · since Tue 08:00"),
                SweepSummary.body(now.withDiff(d)).toString());
    }

    @Test
    void between_failingInEverySweepRead_saysSinceAtLeast() {
        List<StoredSweep> earlier = new ArrayList<>();
        for (int i = 1; i <= SweepDiff.LOOK_BACK; i++) {
            earlier.add(recorded("s" + i, NOW.minus(Duration.ofDays(i)), down("web-01", i)));
        }
        SweepResult now = sweep(line("web-01", Verdict.CAUSE_FOUND, "down (1× 502)"));
        SweepDiff d = SweepDiff.between(now, earlier).orElseThrow();
        assertTrue(d.stillFailing().get(0).atLeast());
        assertEquals(NOW.minus(Duration.ofDays(SweepDiff.LOOK_BACK)), d.stillFailing().get(0).since());
        assertEquals(SweepDiff.SPARK_SWEEPS, d.gatewayCounts().get("web-01").size());
        // 60 days back is summer time in Berlin: 07:00 UTC was 09:00 there
        assertTrue(SweepSummary.body(now.withDiff(d)).get(1).contains("· since at least 26 Sep 09:00"),
                SweepSummary.body(now.withDiff(d)).toString());
    }

    @Test
    void body_nothingChangedAllHealthy_isOneLineWithTheLastSweepsTime() {
        SweepResult now = sweep(line("web-01", Verdict.HEALTHY, "ok"), line("web-02", Verdict.HEALTHY, "ok"));
        SweepDiff d = SweepDiff.between(now, List.of(recorded("s1", NOW.minus(Duration.ofDays(1)),
                healthy("web-01"), healthy("web-02")))).orElseThrow();
        assertEquals(List.of("🟢 2 hosts healthy, as at the last sweep (Tue 08:00)"), SweepSummary.body(now.withDiff(d)));
        assertEquals("All 2 hosts are healthy.", SweepSummary.footer(now.withDiff(d), "in the thread"));
    }

    @Test
    void sparkline_allZero_isTheFloor() {
        SweepDiff d = new SweepDiff(NOW, List.of(), List.of(), List.of(), 0,
                java.util.Map.of("web-01", List.of(0, 0, 0)));
        assertEquals("▁▁▁", d.sparkline("web-01"));
        assertEquals("", d.sparkline("web-09"));
    }

    @Test
    void gatewayErrors_readTheCountOf502sFromTheSummary() {
        assertEquals(412, line("a", Verdict.CAUSE_FOUND, "refuses connections · 412× 502 in 15 min").gatewayErrors());
        assertEquals(9, line("a", Verdict.INCONCLUSIVE, "9× 502/504 in the access log").gatewayErrors());
        assertEquals(3, line("a", Verdict.CAUSE_FOUND, "12× 504, 3× 502 in 15 min").gatewayErrors());
        assertEquals(0, line("a", Verdict.HEALTHY, "no upstream errors and no 502/504").gatewayErrors());
        assertEquals(0, line("a", Verdict.CAUSE_FOUND, "5× 5023 odd").gatewayErrors());
    }
}
