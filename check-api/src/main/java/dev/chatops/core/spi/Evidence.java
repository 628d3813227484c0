package dev.chatops.core.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the probes of one run collected on one host, keyed by probe name in the order
 * they were declared. This is also what a saved-evidence file holds (the engine writes and reads
 * it), so a diagnosis can be replayed without the host.
 *
 * @param settings the check's settings when the probes ran, so a replay judges by the same
 *                 thresholds as the run did
 */
public record Evidence(String check, String host, Instant collectedAt, Duration window, Map<String, ProbeResult> probes,
                       Settings settings) {

    public Evidence {
        requireNonNull(check, "check is null");
        requireNonNull(host, "host is null");
        requireNonNull(collectedAt, "collectedAt is null");
        requireNonNull(window, "window is null");
        probes = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(probes, "probes is null")));
        requireNonNull(settings, "settings is null");
    }

    /** Evidence collected with no check settings. */
    public Evidence(String check, String host, Instant collectedAt, Duration window, Map<String, ProbeResult> probes) {
        this(check, host, collectedAt, window, probes, Settings.none());
    }

    public Optional<ProbeResult> probe(String name) {
        return Optional.ofNullable(probes.get(name));
    }

    /** The probe's stdout, or empty when the probe did not run or failed to start. */
    public String stdout(String name) {
        return probe(name).map(ProbeResult::stdout).orElse("");
    }

    /** A copy with more probe results added after these. */
    public Evidence plus(Map<String, ProbeResult> more) {
        Map<String, ProbeResult> all = new LinkedHashMap<>(probes);
        all.putAll(more);
        return new Evidence(check, host, collectedAt, window, all, settings);
    }
}
