package dev.chatops.core.replica;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.spi.Verdict;
import java.time.Instant;
import java.util.Optional;

/**
 * A run one replica made, as the others read it: the redacted evidence (diagnosed again by the
 * reader, so no report format crosses the store), or for a host that could not be reached the
 * sentence why.
 *
 * @param at           when the evidence was collected
 * @param savedAt      when the run was kept, after it ended
 * @param evidenceJson the evidence in the evidence file format; empty for an unreachable host
 * @param summary      the report's summary (for an unreachable host: why)
 * @param durationMs   how long the run took where it ran
 */
public record SharedRun(String check, String host, Instant at, Instant savedAt, Verdict verdict,
                        Optional<String> evidenceJson,
                        String summary, long durationMs, Optional<String> hostKeyFingerprint) {

    public SharedRun {
        requireNonNull(check, "check is null");
        requireNonNull(host, "host is null");
        requireNonNull(at, "at is null");
        requireNonNull(savedAt, "savedAt is null");
        requireNonNull(verdict, "verdict is null");
        requireNonNull(evidenceJson, "evidenceJson is null");
        requireNonNull(summary, "summary is null");
        requireNonNull(hostKeyFingerprint, "hostKeyFingerprint is null");
    }
}
