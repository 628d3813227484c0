package dev.chatops.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.history.Answer;
import dev.chatops.core.history.CauseTally;
import dev.chatops.core.history.History;
import dev.chatops.core.history.HistoryException;
import dev.chatops.core.history.StoredReport;
import dev.chatops.core.history.StoredSweep;
import dev.chatops.core.history.StoredSweep.SweptHost;
import dev.chatops.core.spi.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link History} must do; run against each real store by a subclass. */
abstract class HistoryContract {

    static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

    /** A new, empty store. */
    abstract History history();

    static StoredReport report(String id, String host, Instant at, Verdict verdict, String cause, String channel) {
        return new StoredReport(id, "nginx502", host, at, verdict, cause, "U123", channel,
                "{\"host\":\"" + host + "\",\"verdict\":\"" + verdict.id() + "\"}");
    }

    @Test
    void saveReport_readsBackEveryField() {
        History h = history();
        // what a host sent is kept byte for byte: quotes, a NUL-free control character, non-ASCII, a long line
        String json = "{\"summary\":\"upstream 'shop' \\\"refused\\\" ✗ — \\u001b[31m\",\"x\":\"" + "a".repeat(20_000)
                + "\"}";
        StoredReport r = new StoredReport("r-1", "nginx502", "web-03", T0, Verdict.CAUSE_FOUND, "upstream-down",
                "U123", "C42", json);
        h.saveReport(r);
        assertEquals(Optional.of(r), h.report("r-1"));
        assertEquals(Optional.empty(), h.report("r-2"));
    }

    @Test
    void saveReport_sameIdTwice_isRefused() {
        History h = history();
        h.saveReport(report("r-1", "web-03", T0, Verdict.HEALTHY, "", ""));
        HistoryException e = assertThrows(HistoryException.class,
                () -> h.saveReport(report("r-1", "web-04", T0, Verdict.HEALTHY, "", "")));
        assertTrue(e.getMessage().contains("r-1"), e.getMessage());
        assertEquals("web-03", h.report("r-1").orElseThrow().host());
    }

    @Test
    void reports_areTheHostsSinceTheTimeNewestFirstUpToTheLimit() {
        History h = history();
        for (int i = 0; i < 5; i++) {
            h.saveReport(report("a" + i, "web-03", T0.plus(Duration.ofHours(i)), Verdict.HEALTHY, "", ""));
        }
        h.saveReport(report("b0", "web-04", T0.plus(Duration.ofHours(3)), Verdict.HEALTHY, "", ""));
        List<String> ids = h.reports("web-03", T0.plus(Duration.ofHours(1)), 10).stream().map(StoredReport::id).toList();
        assertEquals(List.of("a4", "a3", "a2", "a1"), ids);
        assertEquals(List.of("a4", "a3"), h.reports("web-03", T0, 2).stream().map(StoredReport::id).toList());
        assertEquals(List.of(), h.reports("web-09", T0, 10));
    }

    @Test
    void recentReports_onlyFromTheGivenChannelsNewestFirst() {
        History h = history();
        h.saveReport(report("r1", "web-01", T0, Verdict.HEALTHY, "", "C1"));
        h.saveReport(report("r2", "web-02", T0.plusSeconds(60), Verdict.HEALTHY, "", "C2"));
        h.saveReport(report("r3", "web-03", T0.plusSeconds(120), Verdict.HEALTHY, "", "C3"));
        h.saveReport(report("r4", "web-04", T0.plusSeconds(180), Verdict.HEALTHY, "", ""));
        assertEquals(List.of("r3", "r1"), h.recentReports(Set.of("C1", "C3"), 10).stream().map(StoredReport::id)
                .toList());
        assertEquals(List.of("r3"), h.recentReports(List.of("C1", "C3"), 1).stream().map(StoredReport::id).toList());
        assertEquals(List.of(), h.recentReports(List.of(), 10));
    }

    @Test
    void saveAnswer_aLaterAnswerOfTheSameUserReplacesTheirFirst() {
        History h = history();
        h.saveAnswer(new Answer("r1", "nginx502", "upstream-down", "U1", false, T0));
        h.saveAnswer(new Answer("r1", "nginx502", "upstream-down", "U1", true, T0.plusSeconds(5)));
        h.saveAnswer(new Answer("r1", "nginx502", "upstream-down", "U2", true, T0.plusSeconds(6)));
        h.saveAnswer(new Answer("r2", "nginx502", "upstream-timeout", "U1", false, T0.plusSeconds(7)));
        h.saveAnswer(new Answer("r3", "nginx502", "upstream-timeout", "U1", true, T0.plusSeconds(8)));
        h.saveAnswer(new Answer("r4", "nginx502", "disk-full", "U1", false, T0.plusSeconds(9)));
        assertEquals(List.of(
                new CauseTally("nginx502", "upstream-down", 2, 0),
                new CauseTally("nginx502", "upstream-timeout", 1, 1),
                new CauseTally("nginx502", "disk-full", 0, 1)), h.tallies());
    }

    @Test
    void tallies_withNoAnswer_areEmpty() {
        assertEquals(List.of(), history().tallies());
    }

    @Test
    void saveSweep_keepsItsLinesInOrder_andSweepsAreTheSchedulesNewestFirst() {
        History h = history();
        for (int i = 0; i < 4; i++) {
            h.saveSweep(new StoredSweep("s" + i, "morning", "nginx502", T0.plus(Duration.ofDays(i)), 1200 + i, List.of(
                    new SweptHost("web-03", Verdict.CAUSE_FOUND, "upstream-down", 400 + i),
                    new SweptHost("web-04", Verdict.UNREACHABLE, "", 0),
                    new SweptHost("web-01", Verdict.HEALTHY, "", 0))));
        }
        h.saveSweep(new StoredSweep("e0", "evening", "nginx502", T0.plus(Duration.ofDays(9)), 5, List.of()));
        List<StoredSweep> got = h.sweeps("morning", 3);
        assertEquals(List.of("s3", "s2", "s1"), got.stream().map(StoredSweep::id).toList());
        StoredSweep newest = got.get(0);
        assertEquals(new StoredSweep("s3", "morning", "nginx502", T0.plus(Duration.ofDays(3)), 1203, List.of(
                new SweptHost("web-03", Verdict.CAUSE_FOUND, "upstream-down", 403),
                new SweptHost("web-04", Verdict.UNREACHABLE, "", 0),
                new SweptHost("web-01", Verdict.HEALTHY, "", 0))), newest);
        assertEquals(List.of("e0"), h.sweeps("evening", 7).stream().map(StoredSweep::id).toList());
        assertEquals(List.of(), h.sweeps("never", 7));
    }

    @Test
    void prune_removesOnlyWhatIsOlder_andSaysHowMuch() {
        History h = history();
        h.saveReport(report("old", "web-03", T0.minus(Duration.ofDays(31)), Verdict.HEALTHY, "", "C1"));
        h.saveReport(report("new", "web-03", T0, Verdict.HEALTHY, "", "C1"));
        h.saveAnswer(new Answer("old", "nginx502", "upstream-down", "U1", true, T0.minus(Duration.ofDays(31))));
        h.saveAnswer(new Answer("new", "nginx502", "upstream-down", "U1", true, T0));
        h.saveSweep(new StoredSweep("s-old", "morning", "nginx502", T0.minus(Duration.ofDays(40)), 1,
                List.of(new SweptHost("web-03", Verdict.HEALTHY, "", 0), new SweptHost("web-04", Verdict.HEALTHY, "", 0))));
        h.saveSweep(new StoredSweep("s-new", "morning", "nginx502", T0, 1,
                List.of(new SweptHost("web-03", Verdict.HEALTHY, "", 0))));

        int removed = h.prune(T0.minus(Duration.ofDays(30)));

        assertEquals(1 + 1 + 1 + 2, removed, "a report, an answer, a sweep and its two lines");
        assertEquals(List.of("new"), h.reports("web-03", Instant.EPOCH, 10).stream().map(StoredReport::id).toList());
        assertEquals(List.of(new CauseTally("nginx502", "upstream-down", 1, 0)), h.tallies());
        assertEquals(List.of("s-new"), h.sweeps("morning", 10).stream().map(StoredSweep::id).toList());
        assertEquals(0, h.prune(T0.minus(Duration.ofDays(30))));
    }

    @Test
    void manyThreads_writingAtOnce_loseNothing() throws Exception {
        History h = history();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 15; i++) {
                        h.saveReport(report("t" + thread + "-" + i, "web-03", T0.plusMillis(thread * 100L + i),
                                Verdict.HEALTHY, "", "C1"));
                        h.saveAnswer(new Answer("t" + thread + "-" + i, "nginx502", "upstream-down", "U" + thread,
                                true, T0));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(120, h.reports("web-03", Instant.EPOCH, 1000).size());
        assertEquals(List.of(new CauseTally("nginx502", "upstream-down", 120, 0)), h.tallies());
    }

    @Test
    void limits_belowOne_areRefused() {
        History h = history();
        assertThrows(IllegalArgumentException.class, () -> h.reports("web-03", T0, 0));
        assertThrows(IllegalArgumentException.class, () -> h.sweeps("morning", 0));
    }
}
