package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HTTP mode trusts only requests signed with the signing secret, and only recent ones: forged,
 * unsigned and stale requests get 401 and run nothing.
 */
class SlackSignatureTest {

    static Stream<Arguments> untrusted() {
        return Stream.of(
                Arguments.of("forged: signed with another secret", (Forgery) (h, body) -> {
                    long ts = SlackHarness.now();
                    return Map.of("X-Slack-Request-Timestamp", String.valueOf(ts),
                            "X-Slack-Signature", SlackHarness.sign("not-the-signing-secret", ts, body));
                }),
                Arguments.of("forged: body changed after signing", (Forgery) (h, body) -> {
                    long ts = SlackHarness.now();
                    return Map.of("X-Slack-Request-Timestamp", String.valueOf(ts),
                            "X-Slack-Signature", SlackHarness.sign(SlackHarness.SIGNING_SECRET, ts,
                                    body.replace("web-03", "web-01")));
                }),
                Arguments.of("unsigned", (Forgery) (h, body) -> Map.of()),
                Arguments.of("signature without timestamp", (Forgery) (h, body) ->
                        Map.of("X-Slack-Signature", SlackHarness.sign(SlackHarness.SIGNING_SECRET, SlackHarness.now(), body))),
                Arguments.of("stale: correctly signed ten minutes ago", (Forgery) (h, body) -> {
                    long ts = SlackHarness.now() - 600;
                    return Map.of("X-Slack-Request-Timestamp", String.valueOf(ts),
                            "X-Slack-Signature", SlackHarness.sign(SlackHarness.SIGNING_SECRET, ts, body));
                }),
                Arguments.of("from the future: correctly signed for ten minutes ahead", (Forgery) (h, body) -> {
                    // would stay replayable long after the replay memory forgot it
                    long ts = SlackHarness.now() + 600;
                    return Map.of("X-Slack-Request-Timestamp", String.valueOf(ts),
                            "X-Slack-Signature", SlackHarness.sign(SlackHarness.SIGNING_SECRET, ts, body));
                }));
    }

    @FunctionalInterface
    interface Forgery {
        Map<String, String> headers(SlackHarness h, String body);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("untrusted")
    void request_untrusted_rejectedWith401AndNothingRuns(String what, Forgery forgery) {
        try (SlackHarness h = SlackHarness.builder().limits(1, 4).startHttp()) {
            String body = h.commandBody("/nginx502 web-03", SlackHarness.CHANNEL, SlackHarness.USER);
            SlackHarness.Ack rejected = h.post(body, forgery.headers(h, body));
            assertEquals(401, rejected.status(), what + ": " + rejected.body());
            assertFalse(rejected.body().contains("Checking"), rejected.body());

            // a trusted command after it runs in the same single slot: had the untrusted one been
            // accepted, it would have run first and shown up below
            SlackHarness.SlackThread trusted = h.slash("/nginx502 localhost");
            assertEquals(1, h.transport().sessionsOpened(), what);
            assertEquals(1, h.api().calls("chat.postMessage").stream()
                    .filter(c -> c.threadTs().isEmpty()).count(), FakeSlackApi.describe(h.api().calls()));
            assertFalse(h.api().calls().stream().anyMatch(c -> c.text().contains("web-03")), what);
            assertEquals(1, trusted.replies().size());
            assertEquals(List.of("localhost"), h.awaitAuditLines(1).stream().map(l -> l.get("host").getAsString())
                    .toList(), "a rejected request never reaches the dispatcher: " + h.auditText());
        }
    }
}
