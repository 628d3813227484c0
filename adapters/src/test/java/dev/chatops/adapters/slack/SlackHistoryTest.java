package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.dispatch.AccessPolicy;
import dev.chatops.core.history.History;
import dev.chatops.core.history.StoredReport;
import dev.chatops.core.spi.Verdict;
import dev.chatops.store.SqlStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /nginx502 history <host>} over signed HTTP against a real SQLite history. */
class SlackHistoryTest {

    @TempDir
    Path dir;

    private static StoredReport report(String id, String host, java.time.Instant at, Verdict v, String cause) {
        return new StoredReport(id, "nginx502", host, at, v, cause, "U0OTHER", "C0INCIDENT", "{}");
    }

    @Test
    void history_listsTheHostsReportsEphemerally_runsNothing() {
        History history = SqlStores.sqlite(dir);
        SlackHarness.Builder b = SlackHarness.builder().history(history);
        java.time.Instant now = b.clock().instant();
        history.saveReport(report("a", "web-03", now.minus(Duration.ofHours(30)), Verdict.HEALTHY, ""));
        history.saveReport(report("b", "web-03", now.minus(Duration.ofHours(2)), Verdict.CAUSE_FOUND, "upstream-down"));
        history.saveReport(report("c", "web-01", now.minus(Duration.ofHours(1)), Verdict.HEALTHY, ""));
        try (SlackHarness h = b.startHttp()) {
            SlackHarness.Ack day = h.send("/nginx502 history web-03");
            assertEquals("ephemeral", day.responseType());
            assertEquals("*History of web-03 since 2026-11-20 10:09:12 UTC*, newest first:\n"
                    + "2026-11-21 08:09:12 UTC  🔴 upstream-down  asked by U0OTHER in C0INCIDENT\n", day.text());

            SlackHarness.Ack week = h.send("/nginx502 history web-03 7d");
            assertTrue(week.text().contains("🟢 healthy"), week.text());
            assertEquals(3, week.text().lines().count(), week.text());

            assertEquals("No reports for web-01 since 2026-11-21 10:08:12 UTC.",
                    h.send("/nginx502 history web-01 1m").text());
            assertEquals(0, h.transport().sessionsOpened(), "history reads the store, never a host");
        }
    }

    @Test
    void history_outsideAccessOrUnknownHost_isRefused() {
        History history = SqlStores.sqlite(dir);
        try (SlackHarness h = SlackHarness.builder().history(history)
                .access(new AccessPolicy(Set.of("C0ELSEWHERE"), Set.of())).startHttp()) {
            SlackHarness.Ack denied = h.send("/nginx502 history web-03");
            assertTrue(denied.text().startsWith("⚠️"), denied.text());
            assertFalse(denied.text().contains("History of"), denied.text());
        }
        try (SlackHarness h = SlackHarness.builder().history(history).startHttp()) {
            SlackHarness.Ack unknown = h.send("/nginx502 history db-09");
            assertTrue(unknown.text().startsWith("⚠️ unknown host `db-09`"), unknown.text());
            SlackHarness.Ack bad = h.send("/nginx502 history web-03 forever");
            assertTrue(bad.text().contains("is not a time span like 30m, 24h or 7d"), bad.text());
        }
    }
}
