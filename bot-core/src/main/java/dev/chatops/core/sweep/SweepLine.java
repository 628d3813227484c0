package dev.chatops.core.sweep;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.report.Report;
import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.Verdict;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One host's outcome in a sweep, with its full report. */
public record SweepLine(String host, Report report) {

    /** How a check's summary counts the 502s clients got, e.g. {@code 412× 502} or {@code 9× 502/504}. */
    private static final Pattern GATEWAY_COUNT = Pattern.compile("(\\d{1,9})× 502\\b");

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

    /**
     * How many 502s the report counted in its window, as its summary says ({@code 412× 502}); 0 when it
     * names none. Read from the summary because that is the one place every check states its count.
     */
    public int gatewayErrors() {
        Matcher m = GATEWAY_COUNT.matcher(report.summary());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
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
