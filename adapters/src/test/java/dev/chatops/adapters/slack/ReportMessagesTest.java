package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.slack.api.util.json.GsonFactory;
import dev.chatops.core.report.Report;
import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.EvidenceLine;
import dev.chatops.core.spi.Fix;
import dev.chatops.core.spi.Verdict;
import dev.chatops.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReportMessagesTest {

    private static final Instant AT = Instant.parse("2026-11-21T10:09:12Z");
    private static final Conversation DANA = new Conversation("/nginx502", "nginx502", "web-03", false, "U0DANA",
            "C0INCIDENT", "https://hooks.slack.test/commands/1");

    private final MutableClock clock = new MutableClock(AT);
    private final ReportMessages messages = new ReportMessages(clock);

    /** A report built to break every limit at once. */
    static Report worstCase() {
        String hostile = "<!channel> & <@U0EVERYONE> ``` ";
        String longLine = hostile + "x".repeat(3990);
        List<Cause> causes = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            int cause = c;
            List<EvidenceLine> evidence = IntStream.range(0, 120)
                    .mapToObj(i -> new EvidenceLine("/var/log/nginx/error-" + (i % 3) + ".log", i + " " + longLine, 999))
                    .toList();
            List<Fix> fixes = IntStream.range(0, 15)
                    .mapToObj(i -> i % 2 == 0
                            ? Fix.command("sudo systemctl restart shop-" + cause + "-" + i + ".service " + "y".repeat(3400))
                            : Fix.directive("proxy_read_timeout " + cause + i + "s; " + "z".repeat(3400),
                                    "/etc/nginx/conf.d/" + "deep/".repeat(100) + "shop.conf", 1000 + i))
                    .toList();
            causes.add(new Cause("upstream-down-" + c, "Upstream is not running " + "T".repeat(400), 0.9 - c * 0.1,
                    hostile + "d".repeat(8000), evidence, fixes));
        }
        List<String> notes = IntStream.range(0, 60).mapToObj(i -> "note " + i + " " + hostile + "n".repeat(2000)).toList();
        List<Report.ProbeSummary> probes = IntStream.range(0, 80)
                .mapToObj(i -> new Report.ProbeSummary("probe-" + i, 0, 12, i % 7 == 0)).toList();
        return new Report("nginx502", "web-03", AT, Duration.ofMinutes(15), 812, true, Verdict.CAUSE_FOUND,
                hostile + "s".repeat(10_000), causes, notes, probes);
    }

    static Optional<JsonArray> json(SlackMessage m) {
        if (m.blocks().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(GsonFactory.createSnakeCase().toJsonTree(m.blocks()).getAsJsonArray());
    }

    private static void assertWithinLimits(SlackMessage m) {
        assertEquals(List.of(), BlockKitRules.violations(m.text(), json(m)));
        assertEquals(List.of(), BlockKit.problems(m));
    }

    private static List<String> sectionTexts(List<SlackMessage> thread) {
        List<String> out = new ArrayList<>();
        for (SlackMessage m : thread) {
            for (JsonElement b : json(m).orElseThrow()) {
                if (b.getAsJsonObject().has("text")) {
                    out.add(b.getAsJsonObject().getAsJsonObject("text").get("text").getAsString());
                }
                if (b.getAsJsonObject().has("elements")) {
                    b.getAsJsonObject().getAsJsonArray("elements")
                            .forEach(e -> out.add(e.getAsJsonObject().get("text").getAsString()));
                }
            }
        }
        return out;
    }

    @Test
    void thread_worstCaseReport_everyMessageWithinBlockKitLimits() {
        List<SlackMessage> thread = messages.thread(DANA.command(), worstCase(), CheckConversation.THREAD_MESSAGES);

        assertTrue(thread.size() > 1 && thread.size() <= CheckConversation.THREAD_MESSAGES, "messages: " + thread.size());
        thread.forEach(ReportMessagesTest::assertWithinLimits);
        for (String text : sectionTexts(thread)) {
            assertFalse(text.contains("<!channel>") || text.contains("<@U0EVERYONE>"), "unescaped mention in: " + text);
            int fences = text.split("```", -1).length - 1;
            assertEquals(0, fences % 2, "unbalanced code fences in: " + text);
        }
    }

    @Test
    void thread_worstCaseReport_keepsCauseFixesAndContext() {
        Report report = worstCase();
        List<SlackMessage> thread = messages.thread(DANA.command(), report, CheckConversation.THREAD_MESSAGES);
        String all = String.join("\n", sectionTexts(thread));

        assertTrue(json(thread.get(0)).orElseThrow().get(0).getAsJsonObject().getAsJsonObject("text").get("text")
                .getAsString().startsWith("🔴 Upstream is not running TTT"));
        for (Fix f : report.causes().get(0).fixes()) {
            assertTrue(all.contains(f.text().substring(0, 60)), "fix missing: " + f.text().substring(0, 60));
        }
        assertTrue(all.contains("more not shown"), "cut evidence is marked");
        assertTrue(all.contains("web-03 · nginx502 · 80 probes · 12 outputs truncated · 0.8 s · window 15 min · "
                + "from 0 s ago · `/nginx502 web-03 fresh` to re-run"), "context line");
    }

    @Test
    void parentMessages_worstCaseReport_stayOneShortLine() {
        Report report = worstCase();
        for (SlackMessage m : List.of(messages.running(DANA), messages.queued(DANA, 3), messages.verdict(DANA, report),
                messages.failed(DANA, report.summary()), messages.undelivered(DANA, report, "ratelimited"))) {
            assertWithinLimits(m);
            assertTrue(m.text().length() < 600, m.text());
            assertFalse(m.text().contains("<!channel>"), m.text());
        }
    }

    @Test
    void thread_smallReport_readsLikeTheConversation() {
        Report report = new Report("nginx502", "web-03", AT, Duration.ofMinutes(15), 812, false, Verdict.CAUSE_FOUND,
                "upstream shop_app (127.0.0.1:3000) refuses connections: nothing listens on :3000",
                List.of(new Cause("upstream-down", "Upstream is not running", 0.93,
                        "The last process there was `node /srv/shop/server.js` (shop.service, failed 10:07:12).",
                        List.of(new EvidenceLine("/var/log/nginx/error.log", "connect() failed (111: Connection "
                                        + "refused) while connecting to upstream", 25),
                                new EvidenceLine("/var/log/nginx/access.log", "25 of 25 requests answered 502", 1)),
                        List.of(Fix.command("sudo systemctl restart shop.service")))),
                List.of("upstream shop_app has no keepalive"), List.of(new Report.ProbeSummary("error-log", 0, 41, false)));

        List<SlackMessage> thread = messages.thread(DANA.command(), report, CheckConversation.THREAD_MESSAGES);

        assertEquals(1, thread.size());
        assertEquals("🔴 web-03 · upstream shop_app (127.0.0.1:3000) refuses connections: nothing listens on :3000",
                thread.get(0).text());
        assertEquals(List.of(
                "🔴 Upstream is not running (confidence high)",
                "*web-03* · upstream shop_app (127.0.0.1:3000) refuses connections: nothing listens on :3000\n"
                        + "The last process there was `node /srv/shop/server.js` (shop.service, failed 10:07:12).",
                "*Evidence* (last 15 min)",
                "`/var/log/nginx/error.log` · 25 lines\n```25× connect() failed (111: Connection refused) while "
                        + "connecting to upstream```",
                "`/var/log/nginx/access.log` · 1 line\n```25 of 25 requests answered 502```",
                "*Fix*",
                "```sudo systemctl restart shop.service```",
                "*Also noted*\n• upstream shop_app has no keepalive",
                "web-03 · nginx502 · 1 probe · 0.8 s · window 15 min · fresh · `/nginx502 web-03 fresh` to re-run"),
                sectionTexts(thread));
        JsonArray blocks = json(thread.get(0)).orElseThrow();
        assertEquals("context", blocks.get(blocks.size() - 1).getAsJsonObject().get("type").getAsString());
        assertEquals("🔴 *web-03* · upstream shop_app (127.0.0.1:3000) refuses connections: nothing listens on :3000\n"
                + "asked by <@U0DANA> · 0.8 s · fresh", messages.verdict(DANA, report).text());
    }

    @Test
    void verdict_cachedReport_saysHowOldFromTheInjectedClock() {
        Report cached = new Report("nginx502", "web-03", AT, Duration.ofMinutes(15), 1234, true, Verdict.HEALTHY,
                "no 502 or 504 in the window", List.of(), List.of(), List.of());
        clock.advance(Duration.ofSeconds(95));
        assertEquals("🟢 *web-03* · no 502 or 504 in the window\nasked by <@U0DANA> · 1.2 s · from 95 s ago · "
                + "`/nginx502 web-03 fresh` to re-run",
                messages.verdict(DANA, cached).text());
    }

    @Test
    void thread_eachVerdict_hasItsEmojiAndHeader() {
        for (Verdict v : List.of(Verdict.HEALTHY, Verdict.INCONCLUSIVE, Verdict.UNREACHABLE)) {
            Report r = new Report("nginx502", "web-03", AT, Duration.ofMinutes(15), 10, false, v, "what was seen",
                    List.of(), List.of(), List.of());
            String header = json(messages.thread(DANA.command(), r, 10).get(0)).orElseThrow().get(0).getAsJsonObject()
                    .getAsJsonObject("text").get("text").getAsString();
            assertEquals(switch (v) {
                case HEALTHY -> "🟢 web-03 is healthy";
                case INCONCLUSIVE -> "🟡 No cause identified on web-03";
                default -> "⚫ web-03 could not be checked";
            }, header);
        }
    }

    @Test
    void thread_secretInEvidence_redactedEvenWhenShortened() {
        String secretLine = "x".repeat(290) + " Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789";
        Report r = worstCase();
        List<Cause> causes = new ArrayList<>(r.causes());
        Cause first = causes.get(0);
        List<EvidenceLine> evidence = new ArrayList<>(first.evidence());
        evidence.add(0, new EvidenceLine("/var/log/nginx/error-0.log", secretLine, 1));
        causes.set(0, new Cause(first.id(), first.title(), first.confidence(), first.detail(), evidence, first.fixes()));
        Report withSecret = new Report(r.check(), r.host(), r.collectedAt(), r.window(), r.durationMs(), r.cached(),
                r.verdict(), r.summary(), causes, r.notes(), r.probes());

        String all = messages.thread(DANA.command(), withSecret, CheckConversation.THREAD_MESSAGES).stream()
                .map(m -> String.join("\n", sectionTexts(List.of(m)))).collect(Collectors.joining("\n"));
        assertFalse(all.contains("abcdefgh"), "no part of the token may show");
    }
}
