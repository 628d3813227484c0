package dev.chatops.core.report;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * How old a report is, in the words a reply uses: {@code fresh}, or {@code from 42 s ago} for a
 * report served from the cache. The age is measured against the caller's clock, so it grows while a
 * cached report is reused.
 */
public final class Freshness {

    private Freshness() {
    }

    /** How long ago the report's evidence was collected; never negative. */
    public static Duration age(Report report, Instant now) {
        requireNonNull(report, "report is null");
        requireNonNull(now, "now is null");
        Duration d = Duration.between(report.collectedAt(), now);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** {@code fresh} for a report just collected, else {@code from 42 s ago}, {@code from 3 min ago}… */
    public static String describe(Report report, Instant now) {
        return report.cached() ? "from " + ago(age(report, now)) : "fresh";
    }

    /** {@code 42 s ago}, {@code 3 min ago}, {@code 2 h ago}. */
    public static String ago(Duration age) {
        long s = Math.max(0, age.toSeconds());
        if (s < 120) {
            return s + " s ago";
        }
        if (s < 2 * 3600) {
            return s / 60 + " min ago";
        }
        return s / 3600 + " h ago";
    }
}
