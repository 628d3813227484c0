package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatops.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RefusalLogTest {

    /** Keeps the messages logged to it. */
    private static final class Lines implements System.Logger {
        final List<String> lines = new ArrayList<>();

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(format);
        }
    }

    @Test
    void warn_floodOfRefusals_atMostTheBudgetAMinute_thenTheCount() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-30T20:00:00Z"));
        Lines log = new Lines();
        RefusalLog refusals = new RefusalLog(log, clock, 3);

        IntStream.range(0, 1_000).forEach(i -> refusals.warn("refused " + i));
        assertEquals(List.of("refused 0", "refused 1", "refused 2"), log.lines);

        clock.advance(Duration.ofMinutes(1));
        refusals.warn("refused later");

        assertEquals(List.of("refused 0", "refused 1", "refused 2",
                "997 more refused requests were not logged (at most 3 a minute)", "refused later"), log.lines);
    }
}
