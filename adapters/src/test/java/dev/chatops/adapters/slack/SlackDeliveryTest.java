package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.testing.FakeTransport;
import dev.chatops.core.transport.TransportException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Getting the report to people when Slack is in the way: channels the bot is not in, rate
 * limits, server errors, a thread that refuses the report. The report is never lost.
 */
class SlackDeliveryTest {

    @Test
    void notInChannel_publicChannel_joinsThenPostsTheThread() {
        try (SlackHarness h = SlackHarness.builder().startHttp()) {
            h.api().channel("C0PUBLIC", FakeSlackApi.ChannelKind.PUBLIC_NOT_MEMBER);
            SlackHarness.SlackThread thread = h.slash("/nginx502 web-03", "C0PUBLIC", SlackHarness.USER);

            List<String> methods = h.api().calls().stream().map(FakeSlackApi.Call::method)
                    .filter(m -> !m.equals("auth.test")).toList();
            assertEquals(List.of("chat.postMessage", "conversations.join", "chat.postMessage", "chat.postMessage",
                    "chat.update"), methods);
            assertEquals("C0PUBLIC", h.api().calls("conversations.join").get(0).channel());
            assertEquals(1, thread.replies().size());
            assertTrue(thread.verdict().text().startsWith("🔴"));
            assertTrue(h.api().calls("response_url").isEmpty());
        }
    }

    @Test
    void notInChannel_privateChannel_answersThroughResponseUrlAndAsksForAnInvite() {
        try (SlackHarness h = SlackHarness.builder().startHttp()) {
            h.api().channel("C0PRIVATE", FakeSlackApi.ChannelKind.PRIVATE_NOT_MEMBER);
            SlackHarness.Ack ack = h.send("/nginx502 web-03", "C0PRIVATE", SlackHarness.USER);
            assertEquals("Checking web-03…", ack.text());

            FakeSlackApi.Call report = h.api().await(c -> c.method().equals("response_url")
                    && c.param("response_type").equals("in_channel"), SlackHarness.WAIT);
            FakeSlackApi.Call invite = h.api().calls("response_url").get(0);
            assertEquals("ephemeral", invite.param("response_type"));
            assertTrue(invite.text().contains("Invite me with `/invite <@" + FakeSlackApi.BOT_USER + ">`"),
                    invite.text());
            assertTrue(invite.text().contains("method_not_supported_for_channel_type"), invite.text());
            assertTrue(report.blockText().contains("Upstream is not running"), report.blockText());
            assertTrue(report.param("path").equals(invite.param("path")), "both answers go to the command's response_url");
            assertFalse(h.api().calls("chat.postMessage").stream().anyMatch(FakeSlackApi.Call::answeredOk));
            assertEquals(1, h.transport().sessionsOpened(), "the check still runs");
            h.assertEveryMessageWithinLimits();
        }
    }

    @Test
    void rateLimited_parentPost_retriedAfterRetryAfter() {
        try (SlackHarness h = SlackHarness.builder().startHttp()) {
            h.api().rateLimitNext("chat.postMessage", 7);
            SlackHarness.SlackThread thread = h.slash("/nginx502 web-03");

            List<FakeSlackApi.Call> posts = h.api().calls("chat.postMessage");
            assertEquals(429, posts.get(0).status());
            assertEquals(posts.get(0).text(), posts.get(1).text(), "the same message again");
            assertTrue(posts.get(1).answeredOk());
            assertEquals(List.of(Duration.ofSeconds(7)), h.waits());
            assertEquals(1, thread.replies().size());
        }
    }

    @Test
    void rateLimited_threadReplyAndUpdate_retriedEachTime() {
        try (SlackHarness h = SlackHarness.builder().gateClosed().startHttp()) {
            int from = h.api().callCount();
            SlackHarness.Ack ack = h.send("/nginx502 web-03");
            h.api().await(c -> c.method().equals("chat.postMessage") && c.answeredOk(), SlackHarness.WAIT);
            h.api().rateLimitNext("chat.postMessage", 2).rateLimitNext("chat.postMessage", 3)
                    .rateLimitNext("chat.update", 1);
            h.openGate();
            SlackHarness.SlackThread thread = h.conversation(from, ack, SlackHarness.CHANNEL);

            assertEquals(1, thread.replies().size());
            assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(1)), h.waits());
            assertEquals(2, h.api().calls("chat.update").size());
        }
    }

    @Test
    void serverError_retriedWithBackoff() {
        try (SlackHarness h = SlackHarness.builder().startHttp()) {
            h.api().httpErrorNext("chat.postMessage", 503).failNext("chat.postMessage", "internal_error");
            h.slash("/nginx502 web-03");
            assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), h.waits());
        }
    }

    @Test
    void rateLimitedLongerThanTheBotWaits_reportGoesToTheCaller() {
        try (SlackHarness h = SlackHarness.builder().gateClosed().startHttp()) {
            int from = h.api().callCount();
            h.send("/nginx502 web-03");
            FakeSlackApi.Call parent = h.api().await(c -> c.method().equals("chat.postMessage") && c.answeredOk(),
                    SlackHarness.WAIT);
            h.api().rateLimitNext("chat.postMessage", 600);
            h.openGate();

            FakeSlackApi.Call direct = h.api().await(from, c -> c.method().equals("response_url"), SlackHarness.WAIT);
            assertEquals("ephemeral", direct.param("response_type"));
            assertTrue(direct.blockText().contains("Upstream is not running"));
            FakeSlackApi.Call update = h.api().await(from, c -> c.method().equals("chat.update"), SlackHarness.WAIT);
            assertEquals(parent.ts(), update.param("ts"));
            assertTrue(update.text().startsWith("🔴 *web-03* · upstream shop_app"), update.text());
            assertTrue(update.text().contains("the full report could not be posted here (ratelimited); <@"
                    + SlackHarness.USER + "> got it directly"), update.text());
            assertTrue(h.waits().isEmpty(), "a 600 s Retry-After is not waited for: " + h.waits());
        }
    }

    @Test
    void threadAndResponseUrlBothFail_reportGoesToTheLog() {
        List<LogRecord> logged = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public synchronized void publish(LogRecord r) {
                logged.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger(CheckConversation.class.getName());
        log.addHandler(capture);
        try (SlackHarness h = SlackHarness.builder().gateClosed().startHttp()) {
            int from = h.api().callCount();
            h.send("/nginx502 web-03");
            h.api().await(c -> c.method().equals("chat.postMessage") && c.answeredOk(), SlackHarness.WAIT);
            h.api().failNext("chat.postMessage", "msg_too_long").httpErrorNext("response_url", 404);
            h.openGate();
            h.api().await(from, c -> c.method().equals("chat.update"), SlackHarness.WAIT);

            String text;
            synchronized (capture) {
                text = logged.stream().map(LogRecord::getMessage).reduce("", (a, b) -> a + "\n" + b);
            }
            assertTrue(text.contains("could not be delivered"), text);
            assertTrue(text.contains("Upstream is not running") && text.contains("sudo systemctl restart shop.service"),
                    "the whole report is in the log: " + text);
        } finally {
            log.removeHandler(capture);
        }
    }

    @Test
    void unreachableHost_saidInTheThreadWithTheReason() {
        FakeTransport transport = new FakeTransport().fail("web-03", new TransportException(
                TransportException.Reason.TIMEOUT, "web-03 (10.0.3.13:22) did not answer within 5 s; check that sshd "
                + "runs and the firewall lets the bot in"));
        try (SlackHarness h = SlackHarness.builder().transport(transport).startHttp()) {
            SlackHarness.SlackThread thread = h.slash("/nginx502 web-03");

            assertTrue(thread.replyText().startsWith("⚫ web-03 could not be checked\nweb-03 (10.0.3.13:22) did not "
                    + "answer within 5 s"), thread.replyText());
            assertTrue(thread.verdict().text().startsWith("⚫ *web-03* · web-03 (10.0.3.13:22) did not answer"),
                    thread.verdict().text());
            h.assertEveryMessageWithinLimits();
        }
    }
}
