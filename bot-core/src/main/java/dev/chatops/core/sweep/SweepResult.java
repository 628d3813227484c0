package dev.chatops.core.sweep;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.schedule.Schedule;
import dev.chatops.core.spi.Verdict;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * What a sweep found: a line per host, worst first (a cause found, unreachable, inconclusive,
 * healthy), hosts of the same verdict in the schedule's order.
 */
public record SweepResult(Schedule schedule, Instant startedAt, long durationMs, List<SweepLine> lines) {

    public SweepResult {
        requireNonNull(schedule, "schedule is null");
        requireNonNull(startedAt, "startedAt is null");
        lines = requireNonNull(lines, "lines is null").stream()
                .sorted(Comparator.comparingInt(SweepLine::severityRank))
                .toList();
    }

    /** The lines of hosts that are not healthy, worst first: their reports go in the thread. */
    public List<SweepLine> notHealthy() {
        return lines.stream().filter(l -> !l.healthy()).toList();
    }

    public long count(Verdict verdict) {
        return lines.stream().filter(l -> l.verdict() == verdict).count();
    }
}
