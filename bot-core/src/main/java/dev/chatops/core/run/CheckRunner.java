package dev.chatops.core.run;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.host.Host;
import dev.chatops.core.report.Report;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.transport.Transport;
import dev.chatops.core.transport.TransportException;
import dev.chatops.core.transport.TransportSession;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Runs one check on one host: opens one transport session, runs the check's probes (and its
 * follow-up probes) through it, and diagnoses the evidence. A host that cannot be reached gives
 * an {@code unreachable} report; a check that throws while diagnosing gives an
 * {@code inconclusive} report naming the check. Neither throws.
 */
public final class CheckRunner {

    private static final System.Logger LOG = System.getLogger(CheckRunner.class.getName());

    private final Transport transport;
    private final Clock clock;

    public CheckRunner(Transport transport, Clock clock) {
        this.transport = requireNonNull(transport, "transport is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public CheckRun run(Check check, Host host, CheckOptions options) {
        requireNonNull(check, "check is null");
        requireNonNull(host, "host is null");
        requireNonNull(options, "options is null");
        long start = clock.millis();
        Instant at = clock.instant();
        try (TransportSession session = transport.open(host)) {
            Evidence evidence = new Evidence(check.name(), host.name(), at, options.window(),
                    session.run(check.probes(options)));
            List<Probe> more = check.followUp(evidence, options);
            if (!more.isEmpty()) {
                evidence = evidence.plus(session.run(more));
            }
            Diagnosis diagnosis = diagnose(check, evidence);
            return new CheckRun(Report.of(evidence, diagnosis, clock.millis() - start), Optional.of(evidence),
                    session.hostKeyFingerprint());
        } catch (TransportException e) {
            Report report = Report.unreachable(check.name(), host.name(), at, options.window(),
                    clock.millis() - start, e.getMessage());
            return new CheckRun(report, Optional.empty(), Optional.empty());
        }
    }

    /** Diagnoses saved evidence again, without contacting any host. */
    public Report replay(Check check, Evidence evidence) {
        long start = clock.millis();
        return Report.of(evidence, diagnose(check, evidence), clock.millis() - start);
    }

    static Diagnosis diagnose(Check check, Evidence evidence) {
        try {
            return requireNonNull(check.diagnose(evidence), "diagnose returned null");
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "check " + check.name() + " failed while diagnosing " + evidence.host(), e);
            return Diagnosis.inconclusive("check " + check.name() + " failed while diagnosing (" + e
                    + "); this is a bug in the check: save the evidence with --save-evidence and report it", List.of());
        }
    }
}
