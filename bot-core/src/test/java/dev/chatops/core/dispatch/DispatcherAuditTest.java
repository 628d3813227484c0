package dev.chatops.core.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.chatops.core.audit.AuditEntry;
import dev.chatops.core.audit.AuditEntry.CacheUse;
import dev.chatops.core.audit.AuditEntry.Decision;
import dev.chatops.core.error.BotException;
import dev.chatops.core.spi.Verdict;
import dev.chatops.core.testing.DispatchBench;
import dev.chatops.core.testing.StatusCheck;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DispatcherAuditTest {

    private static final Requester DANA = Requester.slack("U0DANA", "C0123ABCD");

    private static DispatchBench bench() {
        return DispatchBench.builder().hosts("web-03")
                .access(new AccessPolicy(Set.of("C0123ABCD"), Set.of("U0DANA"))).build();
    }

    private static CheckRequest slack(Requester who, String check, String host) {
        return new CheckRequest(check, host, false, who);
    }

    private static AuditEntry refusedWith(DispatchBench bench, CheckRequest request) {
        int before = bench.audit.entries().size();
        BotException e = assertThrows(BotException.class, () -> bench.dispatcher.handle(request));
        List<AuditEntry> entries = bench.audit.entries();
        assertEquals(before + 1, entries.size(), "a refusal must leave exactly one line");
        AuditEntry entry = entries.get(before);
        assertEquals(Decision.DENIED, entry.decision());
        assertEquals(e.getMessage(), entry.reason());
        assertEquals(CacheUse.NONE, entry.cache());
        assertEquals(Optional.empty(), entry.verdict());
        assertEquals(0, bench.transport.sessionsOpened(), "nothing may run for a refused request");
        return entry;
    }

    @Test
    void allowed_recordsWhoWhatVerdictCacheAndFingerprint() {
        try (DispatchBench bench = bench()) {
            bench.dispatcher.handle(slack(DANA, StatusCheck.NAME, "web-03"));
            bench.clock.advance(Duration.ofSeconds(5));
            bench.dispatcher.handle(slack(DANA, StatusCheck.NAME, "web-03"));

            List<AuditEntry> entries = bench.audit.entries();
            assertEquals(2, entries.size());
            AuditEntry ran = entries.get(0);
            assertEquals(DispatchBench.START, ran.time());
            assertEquals("slack", ran.via());
            assertEquals("U0DANA", ran.user());
            assertEquals("C0123ABCD", ran.channel());
            assertEquals(StatusCheck.NAME, ran.check());
            assertEquals("web-03", ran.host());
            assertEquals(Decision.ALLOWED, ran.decision());
            assertEquals("", ran.reason());
            assertEquals(CacheUse.MISS, ran.cache());
            assertEquals(Optional.of(Verdict.HEALTHY), ran.verdict());
            assertEquals(Optional.of("SHA256:web-03"), ran.hostKeyFingerprint());
            AuditEntry hit = entries.get(1);
            assertEquals(CacheUse.HIT, hit.cache());
            assertEquals(DispatchBench.START.plusSeconds(5), hit.time());
            assertEquals(Optional.of("SHA256:web-03"), hit.hostKeyFingerprint());

            JsonObject line = JsonParser.parseString(hit.toJson()).getAsJsonObject();
            assertEquals(Set.of("time", "via", "user", "channel", "check", "host", "decision", "reason", "cache",
                    "cacheHit", "durationMs", "verdict", "hostKeyFingerprint"), line.keySet());
            assertTrue(line.get("cacheHit").getAsBoolean());
            assertEquals("healthy", line.get("verdict").getAsString());
            assertEquals("allowed", line.get("decision").getAsString());
        }
    }

    @Test
    void unknownCheck_denied() {
        try (DispatchBench bench = bench()) {
            AuditEntry e = refusedWith(bench, slack(DANA, "nginx503", "web-03"));
            assertEquals("nginx503", e.check());
            assertTrue(e.reason().startsWith("unknown check `nginx503`"), e.reason());
        }
    }

    @Test
    void badHostName_denied() {
        try (DispatchBench bench = bench()) {
            AuditEntry e = refusedWith(bench, slack(DANA, StatusCheck.NAME, "web-03;reboot"));
            assertTrue(e.reason().contains("is not a host name"), e.reason());
        }
    }

    @Test
    void hostNotAllowed_denied() {
        try (DispatchBench bench = bench()) {
            AuditEntry e = refusedWith(bench, slack(DANA, StatusCheck.NAME, "db-01"));
            assertTrue(e.reason().startsWith("unknown host `db-01`; hosts that may be checked: web-03"), e.reason());
        }
    }

    @Test
    void channelNotAllowed_denied() {
        try (DispatchBench bench = bench()) {
            AuditEntry e = refusedWith(bench, slack(Requester.slack("U0DANA", "C0RANDOM"), StatusCheck.NAME, "web-03"));
            assertEquals("C0RANDOM", e.channel());
            assertTrue(e.reason().startsWith("checks may not run in this channel"), e.reason());
        }
    }

    @Test
    void userNotAllowed_denied() {
        try (DispatchBench bench = bench()) {
            AuditEntry e = refusedWith(bench, slack(Requester.slack("U0EVE", "C0123ABCD"), StatusCheck.NAME, "web-03"));
            assertEquals("U0EVE", e.user());
            assertTrue(e.reason().startsWith("you are not on the list of users"), e.reason());
        }
    }

    @Test
    void recordRefusal_frontEndRefusalGetsItsLine() {
        try (DispatchBench bench = bench()) {
            BotException parse = BotException.badInput("too many words in `web-03 now please`");
            bench.dispatcher.recordRefusal(DANA, StatusCheck.NAME, "web-03 now please", parse);
            AuditEntry e = bench.audit.entries().get(0);
            assertEquals(Decision.DENIED, e.decision());
            assertEquals(parse.getMessage(), e.reason());
        }
    }
}
