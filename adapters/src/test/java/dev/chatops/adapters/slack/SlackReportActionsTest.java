package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.chatops.core.dispatch.AccessPolicy;
import dev.chatops.core.evidence.EvidenceFile;
import dev.chatops.core.history.Answer;
import dev.chatops.core.history.StoredReport;
import dev.chatops.core.host.Host;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.testing.FakeTransport;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The buttons under a report, pressed the way Slack presses them: a signed {@code block_actions}
 * request over real HTTP to the bot's endpoint, with the real dispatcher, cache, limits and audit
 * log behind it and a fake Slack Web API taking what the bot posts.
 */
class SlackReportActionsTest {

    private static List<String> actionIds(FakeSlackApi.Call message) {
        JsonArray blocks = message.blocks().orElseThrow();
        for (var b : blocks) {
            JsonObject block = b.getAsJsonObject();
            if (block.get("type").getAsString().equals("actions")) {
                return block.getAsJsonArray("elements").asList().stream()
                        .map(e -> e.getAsJsonObject().get("action_id").getAsString()).toList();
            }
        }
        return List.of();
    }

    @Test
    void report_lastThreadMessage_carriesTheFiveButtons() {
        try (SlackHarness h = SlackHarness.builder().startHttp()) {
            SlackHarness.SlackThread thread = h.slash("/nginx502 web-03");
            assertEquals(List.of("report.rerun", "report.siblings", "report.evidence", "report.confirm",
                    "report.reject"), actionIds(SlackHarness.lastReply(thread)));
            h.assertEveryMessageWithinLimits();
        }
    }

    @Test
    void report_healthyHost_hasNoAnswerButtons() {
        ScriptedCheck healthy = new ScriptedCheck("nginx502", e -> Diagnosis.healthy(
                "nginx answers: 0 of 40 requests answered 502 in 15 min", List.of()));
        try (SlackHarness h = SlackHarness.builder().checks(healthy).startHttp()) {
            SlackHarness.SlackThread thread = h.slash("/nginx502 web-03");
            assertEquals(List.of("report.rerun", "report.siblings", "report.evidence"),
                    actionIds(SlackHarness.lastReply(thread)));
        }
    }

    @Test
    void rerunFresh_runsPastTheCache_postsInTheSameThreadAndUpdatesTheParent() {
        try (SlackHarness h = SlackHarness.builder().startHttp()) {
            SlackHarness.SlackThread thread = h.slash("/nginx502 web-03");
            int sessions = h.transport().sessionsOpened();
            int from = h.api().callCount();

            SlackHarness.Ack ack = h.click(SlackHarness.lastReply(thread), "rerun");

            assertEquals(200, ack.status(), ack.body());
            FakeSlackApi.Call report = h.api().await(from, c -> c.method().equals("chat.postMessage")
                    && c.answeredOk() && c.threadTs().equals(Optional.of(thread.parent().ts())), SlackHarness.WAIT);
            assertTrue(report.blockText().startsWith("🔴 Upstream is not running"), report.blockText());
            assertEquals(5, actionIds(report).size(), "the new report has its own buttons");
            FakeSlackApi.Call verdict = h.api().await(from, c -> c.method().equals("chat.update") && c.answeredOk()
                    && c.param("ts").equals(thread.parent().ts()) && c.text().startsWith("🔴"), SlackHarness.WAIT);
            assertTrue(verdict.text().contains("fresh"), verdict.text());
            assertEquals(sessions + 1, h.transport().sessionsOpened(), "the cache was skipped");
            assertEquals(0, h.api().calls().subList(from, h.api().callCount()).stream()
                    .filter(c -> c.method().equals("chat.postMessage") && c.threadTs().isEmpty()).count(),
                    "no new parent in the channel");
            List<JsonObject> audit = h.awaitAuditLines(2);
            assertEquals("fresh", audit.get(1).get("cache").getAsString());
            assertEquals(SlackHarness.USER, audit.get(1).get("user").getAsString());
            h.assertEveryMessageWithinLimits();
        }
    }

    @Test
    void checkSiblings_oneTableInTheThread_editedAsHostsFinish() {
        try (SlackHarness h = SlackHarness.builder()
                .host(Host.ssh("web-02", "10.0.3.12", 22, Set.of("web")))
                .host(Host.ssh("db-01", "10.0.4.11", 22, Set.of("db")))
                .startHttp()) {
            SlackHarness.SlackThread thread = h.slash("/nginx502 web-03");
            int from = h.api().callCount();

            h.click(SlackHarness.lastReply(thread), "siblings");

            FakeSlackApi.Call table = h.api().await(from, c -> c.method().equals("chat.postMessage")
                    && c.answeredOk() && c.threadTs().equals(Optional.of(thread.parent().ts())), SlackHarness.WAIT);
            assertTrue(table.blockText().contains("siblings tagged `web`"), table.blockText());
            FakeSlackApi.Call last = h.api().await(from, c -> c.method().equals("chat.update")
                    && c.param("ts").equals(table.ts()) && c.blockText().contains("all 2 done"), SlackHarness.WAIT);
            String text = last.blockText();
            assertTrue(text.contains("web-01") && text.contains("web-02"), text);
            assertFalse(text.contains("db-01"), "a host of another tag is no sibling: " + text);
            assertTrue(text.lines().anyMatch(l -> l.startsWith("web-01") && l.contains("cause-found")
                    && l.contains("upstream-down")), text);
            assertEquals(1, h.api().calls().subList(from, h.api().callCount()).stream()
                    .filter(c -> c.method().equals("chat.postMessage")).count(), "one message for the whole table");
            h.assertEveryMessageWithinLimits();
        }
    }

    @Test
    void checkSiblings_moreThanTheLimit_checksOnlySoManyAndSaysSo() {
        try (SlackHarness h = SlackHarness.builder().siblings(1)
                .host(Host.ssh("web-02", "10.0.3.12", 22, Set.of("web")))
                .startHttp()) {
            SlackHarness.SlackThread thread = h.slash("/nginx502 web-03");
            int sessions = h.transport().sessionsOpened();
            int from = h.api().callCount();
            h.click(SlackHarness.lastReply(thread), "siblings");
            FakeSlackApi.Call last = h.api().await(from, c -> c.method().equals("chat.update")
                    && c.blockText().contains("all 1 done"), SlackHarness.WAIT);
            assertTrue(last.blockText().contains("1 more host tagged `web` not checked"), last.blockText());
            assertTrue(last.blockText().contains("limits.siblings"), last.blockText());
            assertEquals(sessions + 1, h.transport().sessionsOpened());
        }
    }

    @Test
    void evidenceFile_uploadsTheRedactedEvidenceThatReplayReads() {
        FakeTransport transport = new FakeTransport()
                .answer("error-log", "2026/11/21 10:08:39 [error] 1234#1234: *88 connect() failed (111: Connection "
                        + "refused) while connecting to upstream, request: \"GET /cart?password=hunter22secret HTTP/1.1\", "
                        + "upstream: \"http://127.0.0.1:3000/cart\"")
                .answer("access-log", "").answer("listening", "");
        try (SlackHarness h = SlackHarness.builder().transport(transport).startHttp()) {
            SlackHarness.SlackThread thread = h.slash("/nginx502 web-03");
            int from = h.api().callCount();

            h.click(SlackHarness.lastReply(thread), "evidence");

            FakeSlackApi.Call shared = h.api().await(from, c -> c.method().equals("files.completeUploadExternal"),
                    SlackHarness.WAIT);
            assertTrue(shared.answeredOk(), shared.response().toString());
            assertEquals(SlackHarness.CHANNEL, shared.param("channel_id"));
            assertEquals(thread.parent().ts(), shared.param("thread_ts"));
            FakeSlackApi.Call url = h.api().await(from, c -> c.method().equals("files.getUploadURLExternal"),
                    SlackHarness.WAIT);
            assertEquals("nginx502-web-03-20261121-100912.json", url.param("filename"));
            String fileId = url.response().get("file_id").getAsString();
            String uploaded = h.api().uploaded(fileId);
            String json = uploaded.substring(uploaded.indexOf('{'), uploaded.lastIndexOf('}') + 1);
            assertFalse(json.contains("hunter22secret"), "secrets are redacted in the file");
            Evidence evidence = EvidenceFile.parse(json, "the uploaded file");
            assertEquals("web-03", evidence.host());
            assertEquals("nginx502", evidence.check());
            assertTrue(evidence.probes().get("error-log").stdout().contains("connect() failed"));
            assertTrue(h.awaitAuditLines(2).get(1).get("reason").getAsString().startsWith("uploaded the evidence file"));
        }
    }

    @Test
    void evidenceFile_ofAReportTheBotNoLongerKeeps_saysItIsGone() {
        try (SlackHarness h = SlackHarness.builder().startHttp()) {
            SlackHarness.SlackThread thread = h.slash("/nginx502 web-03");
            FakeSlackApi.Call last = SlackHarness.lastReply(thread);
            String payload = h.clickPayload(last, "evidence", SlackHarness.USER, SlackHarness.CHANNEL);
            String value = SlackHarness.button(last.blocks().orElseThrow(), "evidence").orElseThrow()
                    .get("value").getAsString();
            // a report posted before the bot restarted: same shape, an id this bot never gave
            String forgotten = payload.replace(value, "0123456789abcdef" + value.substring(value.indexOf('|')));
            int from = h.api().callCount();

            h.postPayload(forgotten);

            FakeSlackApi.Call told = h.api().await(from, c -> c.method().equals("chat.postEphemeral"),
                    SlackHarness.WAIT);
            assertTrue(told.text().startsWith("The evidence of that report is gone"), told.text());
            assertEquals(SlackHarness.USER, told.param("user"));
            assertTrue(h.api().calls("files.getUploadURLExternal").isEmpty());
        }
    }

    @Test
    void thisWasIt_recordsTheAnswerInTheAuditLogAndHistory_andTheButtonsShowIt() {
        MemoryHistory history = new MemoryHistory();
        try (SlackHarness h = SlackHarness.builder().history(history).startHttp()) {
            SlackHarness.SlackThread thread = h.slash("/nginx502 web-03");
            FakeSlackApi.Call last = SlackHarness.lastReply(thread);
            StoredReport stored = history.reports().get(0);
            assertEquals("upstream-down", stored.causeId());
            assertEquals(SlackHarness.CHANNEL, stored.channel());
            int from = h.api().callCount();

            h.click(last, "confirm");

            FakeSlackApi.Call edited = h.api().await(from, c -> c.method().equals("chat.update")
                    && c.param("ts").equals(last.ts()), SlackHarness.WAIT);
            assertTrue(edited.blockText().contains("<@" + SlackHarness.USER + "> says this was it: `upstream-down`"),
                    edited.blockText());
            assertTrue(edited.blockText().contains("✓ This was it"), edited.blockText());
            assertTrue(edited.blockText().startsWith("🔴 Upstream is not running"), "the report stays: "
                    + edited.blockText());
            assertEquals(List.of(new Answer(stored.id(), "nginx502", "upstream-down", SlackHarness.USER, true,
                    h.clock().instant())), history.answers());
            JsonObject line = h.awaitAuditLines(2).get(1);
            assertEquals("confirmed cause upstream-down of report " + stored.id(), line.get("reason").getAsString());
            assertEquals("allowed", line.get("decision").getAsString());

            // changing one's mind: the later answer replaces the earlier one, and the buttons follow
            int again = h.api().callCount();
            h.click(last, "reject");
            FakeSlackApi.Call rejected = h.api().await(again, c -> c.method().equals("chat.update")
                    && c.param("ts").equals(last.ts()), SlackHarness.WAIT);
            assertTrue(rejected.blockText().contains("✓ Not it"), rejected.blockText());
            assertFalse(rejected.blockText().contains("says this was it"), rejected.blockText());
            assertEquals(1, history.answers().size());
            assertFalse(history.answers().get(0).confirmed());
            assertEquals(1, history.tallies().get(0).rejected());
            h.assertEveryMessageWithinLimits();
        }
    }

    @Test
    void click_byAUserOutsideAccess_postsNothingAndRunsNothing() {
        AccessPolicy onlyDana = new AccessPolicy(Set.of(SlackHarness.CHANNEL), Set.of(SlackHarness.USER));
        MemoryHistory history = new MemoryHistory();
        try (SlackHarness h = SlackHarness.builder().access(onlyDana).history(history).startHttp()) {
            SlackHarness.SlackThread thread = h.slash("/nginx502 web-03");
            FakeSlackApi.Call last = SlackHarness.lastReply(thread);
            int sessions = h.transport().sessionsOpened();
            for (String action : List.of("rerun", "siblings", "evidence", "confirm", "reject")) {
                int from = h.api().callCount();
                SlackHarness.Ack ack = h.click(last, action, "U0MALLORY", SlackHarness.CHANNEL);
                assertEquals(200, ack.status());
                FakeSlackApi.Call told = h.api().await(from, c -> c.method().equals("chat.postEphemeral"),
                        SlackHarness.WAIT);
                assertEquals("U0MALLORY", told.param("user"));
                assertTrue(told.text().contains("not on the list of users"), told.text());
            }
            assertEquals(sessions, h.transport().sessionsOpened(), "nothing ran");
            assertEquals(Set.of("auth.test", "chat.postMessage", "chat.update", "chat.postEphemeral"),
                    h.api().calls().stream().map(FakeSlackApi.Call::method).collect(Collectors.toSet()),
                    "nothing but one ephemeral sentence per click");
            assertEquals(1, h.api().calls("chat.postMessage").stream().filter(c -> c.threadTs().isEmpty()).count());
            assertEquals(thread.replies().size() + 1, h.api().calls("chat.postMessage").size());
            assertTrue(history.answers().isEmpty());
            List<JsonObject> audit = h.awaitAuditLines(6);
            assertEquals(6, audit.size());
            audit.subList(1, 6).forEach(l -> assertEquals("denied", l.get("decision").getAsString()));
        }
    }

    @Test
    void click_inAChannelOutsideAccess_isRefused() {
        try (SlackHarness h = SlackHarness.builder().startHttp()) {
            SlackHarness.SlackThread thread = h.slash("/nginx502 web-03");
            int sessions = h.transport().sessionsOpened();
            int from = h.api().callCount();
            h.click(SlackHarness.lastReply(thread), "rerun", SlackHarness.USER, "C0ELSEWHERE");
            FakeSlackApi.Call told = h.api().await(from, c -> c.method().equals("chat.postEphemeral"),
                    SlackHarness.WAIT);
            assertTrue(told.text().contains("may not run in this channel"), told.text());
            assertEquals(sessions, h.transport().sessionsOpened());
            assertEquals("denied", h.awaitAuditLines(2).get(1).get("decision").getAsString());
        }
    }

    @Test
    void click_onAReportOlderThanADay_saysSoAndOffersAFreshRun() {
        try (SlackHarness h = SlackHarness.builder().startHttp()) {
            SlackHarness.SlackThread thread = h.slash("/nginx502 web-03");
            int sessions = h.transport().sessionsOpened();
            h.clock().advance(Duration.ofHours(25));
            int from = h.api().callCount();

            h.click(SlackHarness.lastReply(thread), "rerun");

            FakeSlackApi.Call told = h.api().await(from, c -> c.method().equals("chat.postEphemeral"),
                    SlackHarness.WAIT);
            assertTrue(told.blockText().contains("more than a day old"), told.blockText());
            assertEquals(sessions, h.transport().sessionsOpened(), "the old report's button ran nothing");

            int fresh = h.api().callCount();
            h.postPayload(h.ephemeralClickPayload(told.blocks().orElseThrow(), "fresh", SlackHarness.USER,
                    SlackHarness.CHANNEL));
            SlackHarness.SlackThread now = h.conversation(fresh, null, SlackHarness.CHANNEL);
            assertTrue(now.replyText().startsWith("🔴 Upstream is not running"), now.replyText());
            assertEquals(sessions + 1, h.transport().sessionsOpened());
            h.assertEveryMessageWithinLimits();
        }
    }

    @Test
    void click_withoutAValidSignature_isRefusedBeforeTheApp() {
        try (SlackHarness h = SlackHarness.builder().startHttp()) {
            SlackHarness.SlackThread thread = h.slash("/nginx502 web-03");
            int from = h.api().callCount();
            String body = "payload=" + java.net.URLEncoder.encode(h.clickPayload(SlackHarness.lastReply(thread),
                    "rerun", SlackHarness.USER, SlackHarness.CHANNEL), java.nio.charset.StandardCharsets.UTF_8);
            SlackHarness.Ack ack = h.post(body, java.util.Map.of("X-Slack-Request-Timestamp",
                    String.valueOf(SlackHarness.now()), "X-Slack-Signature", "v0=" + "0".repeat(64)));
            assertEquals(401, ack.status());
            assertEquals(from, h.api().callCount());
        }
    }

    @Test
    void signedRequest_ofAKindTheBotDoesNotAnswer_404AndNothingHappens() {
        try (SlackHarness h = SlackHarness.builder().startHttp()) {
            int from = h.api().callCount();
            String dialog = "payload=" + java.net.URLEncoder.encode("{\"type\":\"dialog_submission\"}",
                    java.nio.charset.StandardCharsets.UTF_8);
            String message = SlackHarness.homeOpenedEvent(SlackHarness.USER).replace("app_home_opened", "message");
            assertEquals(404, h.post(dialog, SlackHarness.signed(dialog)).status());
            assertEquals(404, SlackHarness.post(h.bot().httpPort().orElseThrow(), message, SlackHarness.signed(message),
                    "application/json").status());
            assertEquals(from, h.api().callCount());
        }
    }

    @Test
    void thisWasIt_withTheSqliteHistory_theAnswerPointsAtTheKeptReport(@org.junit.jupiter.api.io.TempDir
                                                                       java.nio.file.Path dir) {
        dev.chatops.core.history.History history = dev.chatops.store.SqlStores.sqlite(dir);
        try (SlackHarness h = SlackHarness.builder().history(history).startHttp()) {
            SlackHarness.SlackThread thread = h.slash("/nginx502 web-03");
            FakeSlackApi.Call last = SlackHarness.lastReply(thread);
            String reportId = SlackHarness.button(last.blocks().orElseThrow(), "confirm").orElseThrow()
                    .get("value").getAsString().split("\\|")[0];
            int from = h.api().callCount();

            h.click(last, "confirm");
            h.api().await(from, c -> c.method().equals("chat.update") && c.param("ts").equals(last.ts()),
                    SlackHarness.WAIT);

            StoredReport kept = history.report(reportId).orElseThrow(() -> new AssertionError(
                    "the report the buttons name is kept under that id"));
            assertEquals("web-03", kept.host());
            assertEquals(SlackHarness.USER, kept.requester());
            assertEquals(List.of(new dev.chatops.core.history.CauseTally("nginx502", "upstream-down", 1, 0)),
                    history.tallies());
        }
    }

    @Test
    void checkSiblings_ofAHostWithoutTags_saysSoToTheClickerAlone() {
        try (SlackHarness h = SlackHarness.builder().startHttp()) {
            SlackHarness.SlackThread thread = h.slash("/nginx502 localhost");
            int sessions = h.transport().sessionsOpened();
            int from = h.api().callCount();
            h.click(SlackHarness.lastReply(thread), "siblings");
            FakeSlackApi.Call told = h.api().await(from, c -> c.method().equals("chat.postEphemeral"),
                    SlackHarness.WAIT);
            assertTrue(told.text().startsWith("*localhost* has no tag, so it has no siblings"), told.text());
            assertEquals(Optional.of(thread.parent().ts()), told.threadTs());
            assertEquals(sessions, h.transport().sessionsOpened());
            assertEquals(0, h.api().calls().subList(from, h.api().callCount()).stream()
                    .filter(c -> c.method().equals("chat.postMessage")).count());
        }
    }
}
