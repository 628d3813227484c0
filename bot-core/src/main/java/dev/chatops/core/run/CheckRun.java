package dev.chatops.core.run;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.report.Report;
import dev.chatops.core.spi.Evidence;
import java.util.Optional;

/**
 * The outcome of running a check on a host: the report, the evidence it was drawn from (empty when
 * the host could not be reached) and the host key fingerprint the transport verified.
 */
public record CheckRun(Report report, Optional<Evidence> evidence, Optional<String> hostKeyFingerprint) {

    public CheckRun {
        requireNonNull(report, "report is null");
        requireNonNull(evidence, "evidence is null");
        requireNonNull(hostKeyFingerprint, "hostKeyFingerprint is null");
    }
}
