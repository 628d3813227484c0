package dev.chatops.core.replica;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.evidence.EvidenceFile;
import dev.chatops.core.host.Host;
import dev.chatops.core.report.Report;
import dev.chatops.core.run.CheckRun;
import dev.chatops.core.run.CheckRunner;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Single flight per check and host across replicas. Before running, a replica looks in the store
 * for a run young enough to serve (within the cache's time to live; for a fresh request, one kept
 * after it was asked). Else it takes the host's run lease and runs, then keeps the run (its redacted
 * evidence) for the others; a replica that finds the lease held waits for that run instead, and
 * runs itself if the holder dies (its lease ends) or the wait passes {@code maxWait}.
 *
 * <p>A served run is diagnosed again here from the evidence, by this replica's own copy of the
 * check. When the store cannot be reached the replica runs on its own: an answer matters more
 * than an extra SSH login.
 */
public final class StoredRunSharing implements RunSharing {

    private static final System.Logger LOG = System.getLogger(StoredRunSharing.class.getName());

    private final Leases leases;
    private final Duration ttl;
    private final Duration unreachableTtl;
    private final Duration maxWait;

    /**
     * @param ttl            how old a shared run may be and still be served ({@code cache.ttl})
     * @param unreachableTtl the same for a run that could not reach its host ({@code cache.unreachableTtl})
     * @param maxWait        how long to wait for another replica's run before running here anyway
     */
    public StoredRunSharing(Leases leases, Duration ttl, Duration unreachableTtl, Duration maxWait) {
        this.leases = requireNonNull(leases, "leases is null");
        this.ttl = requireNonNull(ttl, "ttl is null");
        this.unreachableTtl = requireNonNull(unreachableTtl, "unreachableTtl is null");
        this.maxWait = requireNonNull(maxWait, "maxWait is null");
    }

    static String name(String check, String host) {
        return "run/" + check + "/" + host;
    }

    @Override
    public CheckRun run(Check check, Host host, CheckOptions options, boolean fresh, CheckRunner runner) {
        Instant asked = leases.clock().instant();
        Instant deadline = asked.plus(maxWait);
        String name = name(check.name(), host.name());
        while (true) {
            try {
                Optional<CheckRun> served = served(check, host, options, fresh, asked, runner);
                if (served.isPresent()) {
                    return served.get();
                }
                Optional<Leases.Held> taken = leases.take(name);
                if (taken.isPresent()) {
                    try (Leases.Held held = taken.get()) {
                        // the holder before may have kept its run between the look and the take
                        served = served(check, host, options, fresh, asked, runner);
                        if (served.isPresent()) {
                            return served.get();
                        }
                        CheckRun run = runner.run(check, host, options);
                        keep(run);
                        return run;
                    }
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "the shared store cannot be reached (" + e.getMessage()
                        + "); checking " + host.name() + " from this replica alone");
                return runner.run(check, host, options);
            }
            if (leases.clock().instant().isAfter(deadline)) {
                LOG.log(System.Logger.Level.WARNING, "another replica has been checking " + host.name() + " for over "
                        + maxWait.toSeconds() + " s; checking it from this replica too");
                return runner.run(check, host, options);
            }
            try {
                Thread.sleep(leases.pollEvery().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return runner.run(check, host, options);
            }
        }
    }

    private Optional<CheckRun> served(Check check, Host host, CheckOptions options, boolean fresh, Instant asked,
                                      CheckRunner runner) {
        Optional<SharedRun> latest = leases.store().latestRun(check.name(), host.name());
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        SharedRun s = latest.get();
        Instant now = leases.clock().instant();
        // a run kept since this was asked is newer than anything asked for; an older one serves
        // only a request that is not fresh, within the cache's time to live
        boolean young = !s.savedAt().isBefore(asked) || !fresh
                && s.at().plus(s.verdict() == Verdict.UNREACHABLE ? unreachableTtl : ttl).isAfter(now);
        if (!young) {
            return Optional.empty();
        }
        if (s.verdict() == Verdict.UNREACHABLE) {
            Report unreachable = Report.unreachable(check.name(), host.name(), s.at(), options.window(),
                    s.durationMs(), s.summary());
            return Optional.of(new CheckRun(s.savedAt().isBefore(asked) ? unreachable.asCached() : unreachable,
                    Optional.empty(), Optional.empty()));
        }
        if (s.evidenceJson().isEmpty()) {
            return Optional.empty();
        }
        Evidence evidence;
        try {
            evidence = EvidenceFile.parse(s.evidenceJson().get(), "the run of " + check.name() + " on " + host.name()
                    + " kept by another replica");
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot read the run another replica kept: " + e.getMessage());
            return Optional.empty();
        }
        if (!evidence.check().equals(check.name()) || !evidence.host().equals(host.name())) {
            return Optional.empty();
        }
        Report r = runner.replay(check, evidence);
        // kept before this was asked: as good as a cache hit, and shown with its age like one
        boolean cached = s.savedAt().isBefore(asked);
        Report report = new Report(r.check(), r.host(), r.collectedAt(), r.window(), s.durationMs(), cached,
                r.verdict(), r.summary(), r.causes(), r.notes(), r.probes());
        return Optional.of(new CheckRun(report, Optional.of(evidence), s.hostKeyFingerprint()));
    }

    private void keep(CheckRun run) {
        Report r = run.report();
        try {
            leases.store().saveRun(new SharedRun(r.check(), r.host(), r.collectedAt(), leases.clock().instant(),
                    r.verdict(), run.evidence().map(EvidenceFile::toRedactedJson), r.summary(), r.durationMs(),
                    run.hostKeyFingerprint()));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not keep the run of " + r.check() + " on " + r.host()
                    + " for the other replicas: " + e.getMessage());
        }
    }
}
