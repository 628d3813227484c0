package dev.chatops.core.sweep;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.report.Report;
import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.Verdict;
import java.util.Optional;

/** One host's outcome in a sweep, with its full report. */
public record SweepLine(String host, Report report) {

    public SweepLine {
        requireNonNull(host, "host is null");
        requireNonNull(report, "report is null");
    }

    public Verdict verdict() {
        return report.verdict();
    }

    public boolean healthy() {
        return report.verdict() == Verdict.HEALTHY;
    }

    /** The most likely cause's id, e.g. {@code upstream-down}, when a cause was found. */
    public Optional<String> causeId() {
        return report.causes().stream().findFirst().map(Cause::id);
    }

    /** 0 for the worst (a cause found: 502s are happening), then unreachable, inconclusive, healthy. */
    public int severityRank() {
        return switch (report.verdict()) {
            case CAUSE_FOUND -> 0;
            case UNREACHABLE -> 1;
            case INCONCLUSIVE -> 2;
            case HEALTHY -> 3;
        };
    }
}
