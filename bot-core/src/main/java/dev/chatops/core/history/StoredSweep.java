package dev.chatops.core.history;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.spi.Verdict;
import java.time.Instant;
import java.util.List;

/**
 * One scheduled sweep as kept: when it ran and a line per host, enough to compare it with the next
 * one of the same schedule without the reports.
 *
 * @param id       unique among sweeps
 * @param schedule the schedule's name
 * @param hosts    a line per host, in the order the sweep listed them (worst first)
 */
public record StoredSweep(String id, String schedule, String check, Instant at, long durationMs,
                          List<SweptHost> hosts) {

    public StoredSweep {
        requireNonNull(id, "id is null");
        requireNonNull(schedule, "schedule is null");
        requireNonNull(check, "check is null");
        requireNonNull(at, "at is null");
        hosts = List.copyOf(requireNonNull(hosts, "hosts is null"));
    }

    /**
     * One host's line in a kept sweep.
     *
     * @param causeId       the leading cause's id, or "" when there is none
     * @param gatewayErrors how many 502/504 answers the host's report counted in its window (0 when it said none)
     */
    public record SweptHost(String host, Verdict verdict, String causeId, int gatewayErrors) {

        public SweptHost {
            requireNonNull(host, "host is null");
            requireNonNull(verdict, "verdict is null");
            requireNonNull(causeId, "causeId is null");
            if (gatewayErrors < 0) {
                throw new IllegalArgumentException("gatewayErrors must not be negative, not " + gatewayErrors);
            }
        }
    }
}
