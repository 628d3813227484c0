package dev.chatops.core.report;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The answer to one check request: a check's {@link Diagnosis} together with how it was
 * obtained (when, how long it took, which probes ran, whether it came from the cache). Every
 * renderer (Slack, text, JSON) draws from this one value.
 */
public record Report(String check, String host, Instant collectedAt, Duration window, long durationMs,
                     boolean cached, Verdict verdict, String summary, List<Cause> causes, List<String> notes,
                     List<ProbeSummary> probes) {

    public Report {
        requireNonNull(check, "check is null");
        requireNonNull(host, "host is null");
        requireNonNull(collectedAt, "collectedAt is null");
        requireNonNull(window, "window is null");
        requireNonNull(verdict, "verdict is null");
        requireNonNull(summary, "summary is null");
        causes = List.copyOf(requireNonNull(causes, "causes is null"));
        notes = List.copyOf(requireNonNull(notes, "notes is null"));
        probes = List.copyOf(requireNonNull(probes, "probes is null"));
    }

    /** A report for a run whose probes completed and were diagnosed. */
    public static Report of(Evidence evidence, Diagnosis diagnosis, long durationMs) {
        List<ProbeSummary> summaries = evidence.probes().entrySet().stream()
                .map(ProbeSummary::of)
                .toList();
        return new Report(evidence.check(), evidence.host(), evidence.collectedAt(), evidence.window(), durationMs,
                false, diagnosis.verdict(), diagnosis.summary(), diagnosis.causes(), diagnosis.notes(), summaries);
    }

    /** A report for a host that could not be checked; {@code reason} says why and what to do. */
    public static Report unreachable(String check, String host, Instant at, Duration window, long durationMs,
                                     String reason) {
        return new Report(check, host, at, window, durationMs, false, Verdict.UNREACHABLE, reason,
                List.of(), List.of(), List.of());
    }

    /** The same report, marked as served from the cache. */
    public Report asCached() {
        return new Report(check, host, collectedAt, window, durationMs, true, verdict, summary, causes, notes, probes);
    }

    /** A probe as listed in the report: how it went, without its output. */
    public record ProbeSummary(String name, int exit, long ms, boolean truncated) {
        public ProbeSummary {
            requireNonNull(name, "name is null");
        }

        static ProbeSummary of(Map.Entry<String, dev.chatops.core.spi.ProbeResult> e) {
            return new ProbeSummary(e.getKey(), e.getValue().exit(), e.getValue().ms(), e.getValue().truncated());
        }
    }
}
