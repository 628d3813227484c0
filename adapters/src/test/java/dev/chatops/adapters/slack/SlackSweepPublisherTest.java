package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.chatops.core.report.Report;
import dev.chatops.core.schedule.Schedule;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Verdict;
import dev.chatops.core.sweep.Sweep;
import dev.chatops.core.sweep.SweepLine;
import dev.chatops.core.sweep.SweepResult;
import dev.chatops.core.testing.FakeTransport;
import dev.chatops.core.testing.MutableClock;
import dev.chatops.core.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The morning post: a sweep's summary as one channel message, the report of each host that is not
 * healthy as a reply in its thread, posted through the real Slack client to the fake Web API.
 */
class SlackSweepPublisherTest {

    private static final String MORNING_CHANNEL = "C0MORNING";
    private static final Instant AT = Instant.parse("2026-11-23T07:00:00Z");

    private static Schedule schedule(List<String> hosts) {
        return new Schedule("morning", "0 8 * * MON-FRI", ZoneId.of("Europe/Berlin"), MORNING_CHANNEL, "nginx502",
                hosts, List.of());
    }

    /** web-03 has its upstream down, web-01 is healthy, localhost cannot be reached. */
    private static ScriptedCheck fleetCheck() {
        ScriptedCheck down = ScriptedCheck.upstreamDown();
        return new ScriptedCheck("nginx502", e -> e.host().equals("web-03") ? down.diagnose(e)
                : Diagnosis.healthy("no 502 in the window", List.of()));
    }

    private static List<FakeSlackApi.Call> posted(SlackHarness h) {
        return h.api().calls("chat.postMessage").stream().filter(FakeSlackApi.Call::answeredOk).toList();
    }

    @Test
    void publish_sweepOfThreeHosts_oneChannelMessageAndAThreadReplyPerHostNotHealthy() {
        FakeTransport transport = new FakeTransport()
                .answer("error-log", "connect() failed (111: Connection refused) while connecting to upstream")
                .answer("access-log", "").answer("listening", "")
                .fail("localhost", new TransportException(TransportException.Reason.TIMEOUT,
                        "localhost did not answer within 5 s"));
        SlackHarness.Builder builder = SlackHarness.builder().checks(fleetCheck()).transport(transport);
        MutableClock clock = builder.clock();
        clock.set(AT);
        try (SlackHarness h = builder.startHttp()) {
            Schedule schedule = schedule(List.of("web-01", "web-03", "localhost"));
            SweepResult result = new Sweep(h.dispatcher(), clock).run(schedule);

            h.bot().sweepPublisher().publish(schedule, result);

            List<FakeSlackApi.Call> posts = posted(h);
            List<FakeSlackApi.Call> inChannel = posts.stream().filter(c -> c.threadTs().isEmpty()).toList();
            assertEquals(1, inChannel.size(), FakeSlackApi.describe(posts));
            FakeSlackApi.Call summary = inChannel.get(0);
            assertEquals(MORNING_CHANNEL, summary.channel());
            JsonArray blocks = summary.blocks().orElseThrow();
            JsonObject header = blocks.get(0).getAsJsonObject();
            assertEquals("header", header.get("type").getAsString());
            assertEquals("☀️ nginx502 morning check · 3 hosts · 08:00 Europe/Berlin",
                    header.getAsJsonObject("text").get("text").getAsString());
            List<String> lines = summary.blockText().lines().toList();
            assertTrue(lines.get(1).startsWith("🔴 web-03  upstream-down: upstream shop_app (127.0.0.1:3000) refuses "
                    + "connections"), lines.toString());
            assertEquals("⚪ localhost  unreachable: localhost did not answer within 5 s", lines.get(2));
            assertEquals("🟢 web-01  healthy", lines.get(3));
            assertEquals("Details for web-03 and localhost in the thread.", lines.get(4));
            assertEquals("☀️ nginx502 morning check · 3 hosts · 08:00 Europe/Berlin", summary.text());

            List<FakeSlackApi.Call> replies = posts.stream().filter(c -> c.threadTs().isPresent()).toList();
            assertEquals(2, replies.size(), "one reply per host that is not healthy");
            replies.forEach(r -> assertEquals(summary.ts(), r.threadTs().orElseThrow()));
            assertTrue(replies.get(0).blockText().startsWith("🔴 Upstream is not running (confidence high)"),
                    replies.get(0).blockText());
            assertTrue(replies.get(0).blockText().contains("`/nginx502 web-03 fresh` to re-run"));
            assertTrue(replies.get(1).blockText().startsWith("⚫ localhost could not be checked\nlocalhost did not "
                    + "answer within 5 s"), replies.get(1).blockText());
            h.assertEveryMessageWithinLimits();

            List<JsonObject> audit = h.awaitAuditLines(3);
            assertEquals(3, audit.size());
            assertTrue(audit.stream().allMatch(l -> l.get("via").getAsString().equals("schedule")
                    && l.get("user").getAsString().equals("morning")
                    && l.get("channel").getAsString().equals(MORNING_CHANNEL)), h.auditText());
        }
    }

    @Test
    void publish_fiftyHosts_summaryListsAllInOneMessageWithinLimits() {
        List<SweepLine> lines = IntStream.range(0, 50)
                .mapToObj(i -> new SweepLine(String.format("web-%02d", i), i % 5 == 0
                        ? Report.unreachable("nginx502", String.format("web-%02d", i), AT, Duration.ofMinutes(15), 5000,
                                "web-" + i + " (10.0.3." + i + ":22) did not answer within 5 s; check that sshd runs")
                        : healthy(String.format("web-%02d", i))))
                .toList();
        SweepResult result = new SweepResult(schedule(lines.stream().map(SweepLine::host).toList()), AT, 9000, lines);
        try (SlackHarness h = SlackHarness.builder().startHttp()) {
            h.bot().sweepPublisher().publish(result.schedule(), result);

            List<FakeSlackApi.Call> posts = posted(h);
            List<FakeSlackApi.Call> inChannel = posts.stream().filter(c -> c.threadTs().isEmpty()).toList();
            assertEquals(1, inChannel.size());
            String summary = inChannel.get(0).blockText();
            for (SweepLine l : lines) {
                assertTrue(summary.contains(" " + l.host() + "  "), l.host() + " missing from:\n" + summary);
            }
            assertEquals(10, posts.size() - 1, "a reply for each of the 10 unreachable hosts");
            assertTrue(summary.contains("Details for web-00, web-05, web-10, web-15, web-20, web-25, web-30, web-35, "
                    + "web-40 and web-45 in the thread."), summary);
            h.assertEveryMessageWithinLimits();
        }
    }

    @Test
    void sweepMessages_hostileFleetOfThreeHundred_everyHostListedEveryMessageWithinLimits() {
        String hostile = "<!channel> & <@U0EVERYONE> ``` " + "x".repeat(400);
        List<SweepLine> lines = IntStream.range(0, 300)
                .mapToObj(i -> new SweepLine("web-" + i, Report.unreachable("nginx502", "web-" + i, AT,
                        Duration.ofMinutes(15), 5000, hostile)))
                .toList();
        SweepResult result = new SweepResult(schedule(lines.stream().map(SweepLine::host).toList()), AT, 9000, lines);

        List<SlackMessage> messages = new ReportMessages(new MutableClock(AT)).sweep(result,
                SlackSweepPublisher.SUMMARY_MESSAGES);

        assertTrue(messages.size() > 1 && messages.size() <= SlackSweepPublisher.SUMMARY_MESSAGES,
                "messages: " + messages.size());
        String all = messages.stream().map(m -> m.blocks().toString()).collect(Collectors.joining());
        for (SlackMessage m : messages) {
            assertEquals(List.of(), BlockKitRules.violations(m.text(), ReportMessagesTest.json(m)));
            assertEquals(List.of(), BlockKit.problems(m));
        }
        for (int i = 0; i < 300; i++) {
            assertTrue(all.contains("⚪ web-" + i + "  unreachable"), "web-" + i + " missing");
        }
        assertFalse(all.contains("<!channel>"), "a broadcast mention got through");
        assertTrue(all.contains("Details for web-0, web-1"), "the footer comes last");
    }

    private static Report healthy(String host) {
        return new Report("nginx502", host, AT, Duration.ofMinutes(15), 800, false, Verdict.HEALTHY,
                "no 502 in the window", List.of(), List.of(), List.of());
    }
}
