package dev.chatops.core.run;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.host.Host;
import dev.chatops.core.limit.Limits;
import dev.chatops.core.report.Report;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.transport.Transport;
import dev.chatops.core.transport.TransportException;
import dev.chatops.core.transport.TransportSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * Runs one check on one host: opens one transport session, runs the check's probes (and its
 * follow-up probes) through it, and diagnoses the evidence. A host that cannot be reached gives
 * an {@code unreachable} report. The check's own code (its probe list, its follow-up and its
 * diagnosis) runs with a deadline, {@code diagnoseTimeout}: a check that throws anything, an
 * {@link Error} included, or that does not finish in time gives an {@code inconclusive} report
 * naming the check, and the run ends, so the host is free for the next request. Neither throws.
 */
public final class CheckRunner {

    private static final System.Logger LOG = System.getLogger(CheckRunner.class.getName());

    /**
     * How many abandoned calls into checks may still be running (each keeping a CPU busy) before
     * the runner stops starting more; a few, so that repeated requests for a host whose evidence
     * a check chokes on cannot take every CPU.
     */
    public static final int STUCK_LIMIT = 4;

    private static final int MAX_ERROR_TEXT = 300;

    /**
     * How many times a check is asked for follow-up probes in one run: after the first batch, and again
     * after each follow-up batch while it names probes that have not run (see {@link Check#followUp}).
     */
    public static final int FOLLOW_UP_ROUNDS = 3;

    private final Transport transport;
    private final Clock clock;
    private final CheckCall calls;

    /** A runner with the default {@code diagnoseTimeout}. */
    public CheckRunner(Transport transport, Clock clock) {
        this(transport, clock, Limits.DEFAULT_DIAGNOSE_TIMEOUT);
    }

    public CheckRunner(Transport transport, Clock clock, Duration diagnoseTimeout) {
        this(transport, clock, diagnoseTimeout, CheckCall.sharedTimer());
    }

    /**
     * @param diagnoseTimeout how long each call into the check's code may take
     * @param timer           what measures that deadline (tests pass one that runs on a fake clock)
     */
    public CheckRunner(Transport transport, Clock clock, Duration diagnoseTimeout, ScheduledExecutorService timer) {
        this.transport = requireNonNull(transport, "transport is null");
        this.clock = requireNonNull(clock, "clock is null");
        requireNonNull(diagnoseTimeout, "diagnoseTimeout is null");
        if (diagnoseTimeout.isNegative() || diagnoseTimeout.isZero()) {
            throw new IllegalArgumentException("diagnoseTimeout must be longer than zero");
        }
        this.calls = new CheckCall(diagnoseTimeout, requireNonNull(timer, "timer is null"), STUCK_LIMIT);
    }

    /** Calls into checks that ran past {@code diagnoseTimeout} and are still running. */
    public int stuckCalls() {
        return calls.stuck();
    }

    public CheckRun run(Check check, Host host, CheckOptions options) {
        requireNonNull(check, "check is null");
        requireNonNull(host, "host is null");
        requireNonNull(options, "options is null");
        long start = clock.millis();
        Instant at = clock.instant();
        Evidence nothing = new Evidence(check.name(), host.name(), at, options.window(), Map.of(), options.settings());
        CheckCall.Outcome<List<Probe>> probes = call(check, "listing its probes for " + host.name(),
                () -> List.copyOf(check.probes(options)));
        if (!(probes instanceof CheckCall.Outcome.Returned<List<Probe>> first)) {
            return new CheckRun(Report.of(nothing, failed(check, "listing its probes for " + host.name(), probes),
                    clock.millis() - start), Optional.empty(), Optional.empty());
        }
        try (TransportSession session = transport.open(host)) {
            Collected collected = check.followUpAsResultsArrive()
                    ? asResultsArrive(check, host, options, session, nothing, first.value())
                    : inBatches(check, host, options, session, nothing, first.value());
            Evidence evidence = collected.evidence();
            // when the check failed choosing its follow-ups, the probes so far alone could mislead: they are kept
            // as evidence but not diagnosed
            Diagnosis diagnosis = collected.failed().orElseGet(() -> diagnose(check, evidence));
            return new CheckRun(Report.of(evidence, diagnosis, clock.millis() - start), Optional.of(evidence),
                    session.hostKeyFingerprint());
        } catch (TransportException e) {
            Report report = Report.unreachable(check.name(), host.name(), at, options.window(),
                    clock.millis() - start, e.getMessage());
            return new CheckRun(report, Optional.empty(), Optional.empty());
        }
    }

    /** What the probes of a run collected, and the inconclusive diagnosis when the check failed choosing more. */
    private record Collected(Evidence evidence, Optional<Diagnosis> failed) {
    }

    /** The first batch, then each follow-up batch once the one before it has finished. */
    private Collected inBatches(Check check, Host host, CheckOptions options, TransportSession session, Evidence empty,
                                List<Probe> first) throws TransportException {
        Evidence evidence = empty.plus(session.run(first));
        for (int round = 0; round < FOLLOW_UP_ROUNDS; round++) {
            Evidence sofar = evidence;
            CheckCall.Outcome<List<Probe>> more = call(check, choosing(host),
                    () -> List.copyOf(check.followUp(sofar, options)));
            if (!(more instanceof CheckCall.Outcome.Returned<List<Probe>> followUp)) {
                return new Collected(evidence, Optional.of(failed(check, choosing(host), more)));
            }
            // a probe runs once per run: asked again, the check gets the evidence it already has
            List<Probe> next = followUp.value().stream().filter(p -> sofar.probe(p.name()).isEmpty()).toList();
            if (next.isEmpty()) {
                break;
            }
            evidence = evidence.plus(session.run(next));
        }
        return new Collected(evidence, Optional.empty());
    }

    /**
     * Every probe started at once, and the check asked for follow-ups each time one finishes, so a follow-up
     * starts as soon as its inputs are in. A probe named after a probe of round {@code r} finished is of round
     * {@code r + 1}; a probe of the last round asks nothing. The evidence lists the probes in the order they
     * were started, whatever order they finished in.
     */
    private Collected asResultsArrive(Check check, Host host, CheckOptions options, TransportSession session,
                                      Evidence empty, List<Probe> first) throws TransportException {
        BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
        Set<String> started = new LinkedHashSet<>();
        Map<String, ProbeResult> results = new HashMap<>();
        int running = start(session, first, 0, started, finished);
        while (running > 0) {
            Finished f = take(finished, host);
            running--;
            results.put(f.probe().name(), f.result());
            if (f.round() >= FOLLOW_UP_ROUNDS) {
                continue;
            }
            Evidence sofar = inStartOrder(empty, started, results);
            CheckCall.Outcome<List<Probe>> more = call(check, choosing(host),
                    () -> List.copyOf(check.followUp(sofar, options)));
            if (!(more instanceof CheckCall.Outcome.Returned<List<Probe>> followUp)) {
                return new Collected(sofar, Optional.of(failed(check, choosing(host), more)));
            }
            running += start(session, followUp.value(), f.round() + 1, started, finished);
        }
        return new Collected(inStartOrder(empty, started, results), Optional.empty());
    }

    /** A probe that finished, the round it was started in, and its result or what the transport threw. */
    private record Finished(Probe probe, int round, ProbeResult result, Throwable error) {
    }

    /** Starts the probes that have not been started in this run yet; returns how many it started. */
    private static int start(TransportSession session, List<Probe> probes, int round, Set<String> started,
                             BlockingQueue<Finished> finished) {
        int count = 0;
        for (Probe p : probes) {
            if (!started.add(p.name())) {
                continue;
            }
            count++;
            session.start(p).whenComplete((result, error) -> finished.add(new Finished(p, round, result, error)));
        }
        return count;
    }

    private static Finished take(BlockingQueue<Finished> finished, Host host) throws TransportException {
        Finished f;
        try {
            f = finished.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException(TransportException.Reason.CONNECTION_LOST, "the run on " + host.name()
                    + " was interrupted", e);
        }
        if (f.error() == null) {
            return f;
        }
        // a lost connection ends the run; anything else is a bug in the transport, as in a batch
        Throwable cause = f.error() instanceof CompletionException && f.error().getCause() != null
                ? f.error().getCause() : f.error();
        if (cause instanceof TransportException lost) {
            throw lost;
        }
        throw new IllegalStateException("probe " + f.probe().name() + " failed unexpectedly", cause);
    }

    private static Evidence inStartOrder(Evidence empty, Set<String> started, Map<String, ProbeResult> results) {
        Map<String, ProbeResult> ordered = new LinkedHashMap<>();
        for (String name : started) {
            ProbeResult r = results.get(name);
            if (r != null) {
                ordered.put(name, r);
            }
        }
        return empty.plus(ordered);
    }

    private static String choosing(Host host) {
        return "choosing its follow-up probes for " + host.name();
    }

    /** Diagnoses saved evidence again, without contacting any host. */
    public Report replay(Check check, Evidence evidence) {
        long start = clock.millis();
        return Report.of(evidence, diagnose(check, evidence), clock.millis() - start);
    }

    private Diagnosis diagnose(Check check, Evidence evidence) {
        CheckCall.Outcome<Diagnosis> outcome = call(check, "diagnosing " + evidence.host(),
                () -> requireNonNull(check.diagnose(evidence), "diagnose returned null"));
        return outcome instanceof CheckCall.Outcome.Returned<Diagnosis> r ? r.value()
                : failed(check, "diagnosing " + evidence.host(), outcome);
    }

    private <T> CheckCall.Outcome<T> call(Check check, String doing, Supplier<T> code) {
        return calls.run("chatops-check " + check.name() + " " + doing, code);
    }

    /** The inconclusive diagnosis for a call into the check that threw or ran out of time. */
    private Diagnosis failed(Check check, String doing, CheckCall.Outcome<?> outcome) {
        if (outcome instanceof CheckCall.Outcome.Threw<?> threw) {
            LOG.log(System.Logger.Level.ERROR, "check " + check.name() + " failed while " + doing, threw.error());
            return Diagnosis.inconclusive("check " + check.name() + " failed while " + doing + " ("
                    + shortened(threw.error().toString()) + "); this is a bug in the check: save the evidence with "
                    + "--save-evidence and report it", List.of());
        }
        if (outcome instanceof CheckCall.Outcome.NotStarted<?> notStarted) {
            return Diagnosis.inconclusive("check " + check.name() + " was not run: " + notStarted.stuck()
                    + " earlier diagnoses are still running past limits.diagnoseTimeout, each keeping a CPU busy; "
                    + "restart the bot to stop them, and report the check with evidence saved by --save-evidence",
                    List.of());
        }
        return Diagnosis.inconclusive("diagnosis stopped after " + CheckCall.text(calls.limit())
                + " (limits.diagnoseTimeout): check " + check.name() + " was still " + doing
                + ", perhaps stuck on input from the host it cannot handle; save the evidence with --save-evidence "
                + "and report it", List.of());
    }

    /** An exception's text as a report shows it: its message may quote a whole line from the host. */
    private static String shortened(String text) {
        return text.length() <= MAX_ERROR_TEXT ? text : text.substring(0, MAX_ERROR_TEXT) + "…";
    }
}
