package dev.chatops.adapters.ssh;

import java.time.Duration;
import java.util.Locale;

/** Durations in messages, as people write them: {@code 5 s}, {@code 1.5 s}, {@code 250 ms}. */
final class DurationText {

    private DurationText() {
    }

    static String of(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + " s";
        }
        return ms < 10_000 ? String.format(Locale.ROOT, "%.1f s", ms / 1000.0) : (ms + 500) / 1000 + " s";
    }
}
