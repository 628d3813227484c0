package dev.chatops.core.sweep;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.schedule.Schedule;
import dev.chatops.core.spi.Verdict;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a sweep found: a line per host, worst first (a cause found, unreachable, inconclusive,
 * healthy), hosts of the same verdict in the schedule's order.
 *
 * @param diff what changed since the schedule's previous sweep; absent for the first one, or when the
 *             history could not be read
 */
public record SweepResult(Schedule schedule, Instant startedAt, long durationMs, List<SweepLine> lines,
                          Optional<SweepDiff> diff) {

    public SweepResult {
        requireNonNull(schedule, "schedule is null");
        requireNonNull(startedAt, "startedAt is null");
        lines = requireNonNull(lines, "lines is null").stream()
                .sorted(Comparator.comparingInt(SweepLine::severityRank))
                .toList();
        requireNonNull(diff, "diff is null");
    }

    /** A sweep without a previous one to compare with. */
    public SweepResult(Schedule schedule, Instant startedAt, long durationMs, List<SweepLine> lines) {
        this(schedule, startedAt, durationMs, lines, Optional.empty());
    }

    /** The same sweep compared with the previous one. */
    public SweepResult withDiff(SweepDiff diff) {
        return new SweepResult(schedule, startedAt, durationMs, lines, Optional.of(diff));
    }

    /** The lines of hosts that are not healthy, worst first: their reports go in the thread. */
    public List<SweepLine> notHealthy() {
        return lines.stream().filter(l -> !l.healthy()).toList();
    }

    public long count(Verdict verdict) {
        return lines.stream().filter(l -> l.verdict() == verdict).count();
    }
}
