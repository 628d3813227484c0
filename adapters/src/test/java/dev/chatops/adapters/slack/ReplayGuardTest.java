package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {

    private static final Instant NOW = Instant.parse("2026-11-30T20:00:00Z");
    private final MutableClock clock = new MutableClock(NOW);
    private final long ts = NOW.getEpochSecond();

    @Test
    void firstTime_copyWithinWindow_refusedUntilItsTimestampLeavesTheWindow() {
        ReplayGuard guard = new ReplayGuard(clock, 100);

        assertTrue(guard.firstTime(ts, "v0=aa"));
        assertFalse(guard.firstTime(ts, "v0=aa"));
        assertTrue(guard.firstTime(ts, "v0=bb"), "another request signed the same second is new");
        assertTrue(guard.firstTime(ts + 1, "v0=aa"), "the same signature with another timestamp is not a copy");

        clock.advance(Duration.ofMinutes(5).minusSeconds(1));
        assertFalse(guard.firstTime(ts, "v0=aa"), "still within Slack's 5 minutes");

        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, guard.size(), "only the one signed a second later is still remembered");
    }

    @Test
    void firstTime_manyRequests_memoryStaysWithinCapacity() {
        ReplayGuard guard = new ReplayGuard(clock, 50);

        for (int i = 0; i < 1_000; i++) {
            assertTrue(guard.firstTime(ts, "v0=" + i));
        }

        assertTrue(guard.size() <= 50, "remembered " + guard.size());
    }
}
