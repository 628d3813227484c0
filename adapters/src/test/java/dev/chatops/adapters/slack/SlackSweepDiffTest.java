package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.history.History;
import dev.chatops.core.history.HistoryWriter;
import dev.chatops.core.history.StoredSweep;
import dev.chatops.core.history.StoredSweep.SweptHost;
import dev.chatops.core.schedule.Schedule;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Verdict;
import dev.chatops.core.sweep.Sweep;
import dev.chatops.core.sweep.SweepMemory;
import dev.chatops.core.sweep.SweepResult;
import dev.chatops.core.testing.FakeTransport;
import dev.chatops.core.testing.MutableClock;
import dev.chatops.core.transport.TransportException;
import dev.chatops.store.SqlStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The morning post in Slack as a comparison with the schedule's previous sweep, kept in a real SQLite history. */
class SlackSweepDiffTest {

    private static final Instant MONDAY = Instant.parse("2026-11-23T07:00:00Z");

    @TempDir
    Path dir;

    @Test
    void publish_afterAnEarlierSweep_postsWhatChanged() {
        History history = SqlStores.sqlite(dir);
        history.saveSweep(new StoredSweep("fri", "morning", "nginx502", MONDAY.minus(Duration.ofDays(3)), 800, List.of(
                new SweptHost("web-03", Verdict.HEALTHY, "", 0),
                new SweptHost("localhost", Verdict.UNREACHABLE, "", 0),
                new SweptHost("web-01", Verdict.HEALTHY, "", 0))));
        ScriptedCheck down = ScriptedCheck.upstreamDown();
        ScriptedCheck check = new ScriptedCheck("nginx502", e -> e.host().equals("web-03") ? down.diagnose(e)
                : Diagnosis.healthy("no 502 in the window", List.of()));
        FakeTransport transport = new FakeTransport()
                .answer("error-log", "connect() failed (111: Connection refused) while connecting to upstream")
                .answer("access-log", "").answer("listening", "")
                .fail("localhost", new TransportException(TransportException.Reason.TIMEOUT,
                        "localhost did not answer within 5 s"));
        SlackHarness.Builder builder = SlackHarness.builder().checks(check).transport(transport);
        MutableClock clock = builder.clock();
        clock.set(MONDAY);
        try (SlackHarness h = builder.startHttp()) {
            Schedule schedule = new Schedule("morning", "0 8 * * MON-FRI", ZoneId.of("Europe/Berlin"), "C0MORNING",
                    "nginx502", List.of("web-01", "web-03", "localhost"), List.of());
            SweepResult result = new Sweep(h.dispatcher(), clock,
                    Optional.of(new SweepMemory(new HistoryWriter(history)))).run(schedule);

            h.bot().sweepPublisher().publish(schedule, result);

            FakeSlackApi.Call summary = h.api().calls("chat.postMessage").stream()
                    .filter(c -> c.answeredOk() && c.threadTs().isEmpty()).findFirst().orElseThrow();
            List<String> lines = summary.blockText().lines().toList();
            assertEquals("☀️ nginx502 morning check · 3 hosts · 08:00 Europe/Berlin", lines.get(0));
            assertEquals("New since the last sweep (Fri 08:00):", lines.get(1));
            assertTrue(lines.get(2).startsWith("🔴 web-03  upstream-down: "), lines.toString());
            assertEquals("Still failing:", lines.get(3));
            assertEquals("⚪ localhost  unreachable: localhost did not answer within 5 s · since Fri 08:00  ▁▁",
                    lines.get(4));
            assertEquals("🟢 1 host healthy, as at the last sweep", lines.get(5));
            assertEquals("Details for web-03 and localhost in the thread.", lines.get(6));
            assertEquals(2, history.sweeps("morning", 10).size(), "this sweep is kept for tomorrow's comparison");
        }
    }
}
