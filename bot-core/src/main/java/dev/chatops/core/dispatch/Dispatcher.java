package dev.chatops.core.dispatch;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.audit.AuditEntry;
import dev.chatops.core.audit.AuditEntry.CacheUse;
import dev.chatops.core.audit.AuditEntry.Decision;
import dev.chatops.core.audit.AuditLog;
import dev.chatops.core.cache.ResultCache;
import dev.chatops.core.cache.RunKey;
import dev.chatops.core.error.BotException;
import dev.chatops.core.host.Allowlist;
import dev.chatops.core.host.Host;
import dev.chatops.core.limit.HostRunQueue;
import dev.chatops.core.limit.Limits;
import dev.chatops.core.metrics.Metrics;
import dev.chatops.core.replica.RunSharing;
import dev.chatops.core.registry.CheckRegistry;
import dev.chatops.core.run.CheckRun;
import dev.chatops.core.run.CheckRunner;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Takes a request from any front end (Slack, command line, schedule), checks it against the
 * registry, the access policy and the allowlist, and answers it: from the cache, by joining the run
 * in flight for the same check and host, or by queueing a run within the {@link Limits}. Every
 * request, allowed or denied, leaves one entry in the audit log.
 *
 * <p>Refusals are {@link BotException}s thrown before anything runs, whose message says what is
 * wrong and what is allowed: an unknown check, a malformed or unlisted host, a channel or user not
 * allowed, or a full queue ({@link dev.chatops.core.limit.BusyException}).
 */
public final class Dispatcher {

    private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());

    /** The reason of an audit entry for pasted lines explained. */
    public static final String EXPLAINED = "pasted log lines explained; no host contacted";

    private final CheckRegistry registry;
    private final Allowlist allowlist;
    private final AccessPolicy access;
    private final CheckRunner runner;
    private final CheckOptions options;
    private final ResultCache cache;
    private final HostRunQueue queue;
    private final AuditLog audit;
    private final Clock clock;
    private final AnswerSink answers;
    private final Metrics metrics;
    private final RunSharing sharing;

    /** A dispatcher that keeps no results, uses the default {@link Limits} and writes no audit log. */
    public Dispatcher(CheckRegistry registry, Allowlist allowlist, AccessPolicy access, CheckRunner runner,
                      CheckOptions options) {
        this(registry, allowlist, access, runner, options, ResultCache.disabled(), new HostRunQueue(Limits.defaults()),
                AuditLog.none(), Clock.systemUTC());
    }

    /**
     * @param cache where results are kept and runs in flight are shared
     * @param queue bounds how many runs happen at once; shared by every front end of the bot
     * @param audit receives one entry per request
     * @param clock stamps audit entries and measures how long requests took
     */
    public Dispatcher(CheckRegistry registry, Allowlist allowlist, AccessPolicy access, CheckRunner runner,
                      CheckOptions options, ResultCache cache, HostRunQueue queue, AuditLog audit, Clock clock) {
        this(registry, allowlist, access, runner, options, cache, queue, audit, clock, AnswerSink.NONE, Metrics.NONE);
    }

    /** @param answers told of every answer given, e.g. to keep its report */
    public Dispatcher(CheckRegistry registry, Allowlist allowlist, AccessPolicy access, CheckRunner runner,
                      CheckOptions options, ResultCache cache, HostRunQueue queue, AuditLog audit, Clock clock,
                      AnswerSink answers) {
        this(registry, allowlist, access, runner, options, cache, queue, audit, clock, answers, Metrics.NONE);
    }

    /** @param metrics counts the runs and how the cache answered */
    public Dispatcher(CheckRegistry registry, Allowlist allowlist, AccessPolicy access, CheckRunner runner,
                      CheckOptions options, ResultCache cache, HostRunQueue queue, AuditLog audit, Clock clock,
                      Metrics metrics) {
        this(registry, allowlist, access, runner, options, cache, queue, audit, clock, AnswerSink.NONE, metrics);
    }

    /**
     * @param answers told of every answer given, e.g. to keep its report
     * @param metrics counts the runs and how the cache answered
     */
    public Dispatcher(CheckRegistry registry, Allowlist allowlist, AccessPolicy access, CheckRunner runner,
                      CheckOptions options, ResultCache cache, HostRunQueue queue, AuditLog audit, Clock clock,
                      AnswerSink answers, Metrics metrics) {
        this(registry, allowlist, access, runner, options, cache, queue, audit, clock, answers, metrics,
                RunSharing.LOCAL);
    }

    /**
     * @param answers told of every answer given, e.g. to keep its report
     * @param metrics counts the runs and how the cache answered
     * @param sharing shares each run this process would start with the other replicas of the bot
     */
    public Dispatcher(CheckRegistry registry, Allowlist allowlist, AccessPolicy access, CheckRunner runner,
                      CheckOptions options, ResultCache cache, HostRunQueue queue, AuditLog audit, Clock clock,
                      AnswerSink answers, Metrics metrics, RunSharing sharing) {
        this.sharing = requireNonNull(sharing, "sharing is null");
        this.answers = requireNonNull(answers, "answers is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.allowlist = requireNonNull(allowlist, "allowlist is null");
        this.access = requireNonNull(access, "access is null");
        this.runner = requireNonNull(runner, "runner is null");
        this.options = requireNonNull(options, "options is null");
        this.cache = requireNonNull(cache, "cache is null");
        this.queue = requireNonNull(queue, "queue is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    /**
     * Answers the request and waits for the answer.
     *
     * @throws BotException when the request is refused; nothing ran for it
     */
    public CheckRun handle(CheckRequest request) {
        return handle(request, DispatchListener.NONE);
    }

    /**
     * Answers the request and waits for the answer, telling {@code listener} when it is queued and
     * when its run starts.
     *
     * @throws BotException when the request is refused; nothing ran for it
     */
    public CheckRun handle(CheckRequest request, DispatchListener listener) {
        CompletableFuture<CheckRun> answer = submit(request, listener);
        try {
            return answer.join();
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new BotException(BotException.Category.INTERNAL, "the check failed: " + cause, cause);
        }
    }

    /**
     * Answers the request without waiting: the returned future completes with the run (a cached one
     * is marked {@link dev.chatops.core.report.Report#cached() cached}). It fails only when the run
     * itself threw, which is a bug in a check.
     *
     * @throws BotException when the request is refused, before anything runs
     */
    public CompletableFuture<CheckRun> submit(CheckRequest request, DispatchListener listener) {
        requireNonNull(request, "request is null");
        requireNonNull(listener, "listener is null");
        Instant at = clock.instant();
        Check check;
        Host host;
        ResultCache.Lookup lookup;
        try {
            check = check(request.check());
            access.check(request.requester());
            host = host(request.host());
            HostRunQueue.Priority priority = request.requester().isSchedule()
                    ? HostRunQueue.Priority.BACKGROUND : HostRunQueue.Priority.INTERACTIVE;
            Host target = host;
            lookup = cache.lookup(new RunKey(check.name(), host.name()), request.fresh(),
                    () -> queue.submit(target.name(), () -> sharing.run(check, target, registry.options(check, options),
                            request.fresh(), runner), priority));
        } catch (BotException e) {
            recordRefusal(request.requester(), request.check(), request.host(), e, at);
            throw e;
        }
        if (lookup instanceof ResultCache.Lookup.Kept kept) {
            CheckRun served = new CheckRun(kept.run().report().asCached(), kept.run().evidence(),
                    kept.run().hostKeyFingerprint());
            recordAnswer(request, at, CacheUse.HIT, served, null);
            count(() -> metrics.cacheLookup(check.name(), CacheUse.HIT));
            return CompletableFuture.completedFuture(served);
        }
        ResultCache.Flight flight;
        CacheUse use;
        if (lookup instanceof ResultCache.Lookup.Joined joined) {
            flight = joined.flight();
            use = CacheUse.JOINED;
        } else {
            flight = ((ResultCache.Lookup.Started) lookup).flight();
            use = request.fresh() ? CacheUse.FRESH : CacheUse.MISS;
        }
        CacheUse counted = use;
        count(() -> metrics.cacheLookup(check.name(), counted));
        int position = flight.ticket().position();
        if (position > 0) {
            tell(() -> listener.queued(position));
        }
        flight.ticket().started().thenRun(() -> tell(listener::started));
        return flight.answer().handle((run, failure) -> {
            if (run != null && use != CacheUse.JOINED) {
                // only the request that started the run counts it, however many share it; counted before the
                // answer is handed on, so whoever has the answer sees it counted
                count(() -> metrics.checkRun(check.name(), run.report().verdict(),
                        Duration.ofMillis(run.report().durationMs())));
            }
            recordAnswer(request, at, use, run, failure);
            if (failure != null) {
                throw failure instanceof CompletionException c ? c : new CompletionException(failure);
            }
            return run;
        });
    }

    /**
     * Records a request that a front end refused before it reached {@link #handle} (e.g. command
     * text that does not parse), so that the audit log holds every denial.
     */
    public void recordRefusal(Requester requester, String check, String host, BotException refusal) {
        recordRefusal(requester, check, host, refusal, clock.instant());
    }

    /**
     * Records pasted log lines a check explained for a requester ({@link dev.chatops.core.spi.Check#explain}): no
     * host was asked for or contacted, so the entry's host is empty and its reason says what was read.
     */
    public void recordExplained(Requester requester, String check, Verdict verdict) {
        write(new AuditEntry(clock.instant(), requester.via(), requester.user(), requester.channel(), check, "",
                Decision.ALLOWED, EXPLAINED, CacheUse.NONE, 0, Optional.of(verdict), Optional.empty()));
    }

    /**
     * Records something a person did about a check's result that ran nothing (say, answering whether a
     * report's cause was the right one), so the audit log holds it beside the requests.
     *
     * @param what one sentence, kept as the entry's reason
     */
    public void recordAction(Requester requester, String check, String host, String what) {
        requireNonNull(what, "what is null");
        Instant at = clock.instant();
        write(new AuditEntry(at, requester.via(), requester.user(), requester.channel(), check, host,
                Decision.ALLOWED, what, CacheUse.NONE, 0, Optional.empty(), Optional.empty()));
    }

    private void recordRefusal(Requester requester, String check, String host, BotException refusal, Instant at) {
        write(new AuditEntry(at, requester.via(), requester.user(), requester.channel(), check, host,
                Decision.DENIED, refusal.getMessage(), CacheUse.NONE, elapsed(at), Optional.empty(), Optional.empty()));
    }

    private void recordAnswer(CheckRequest request, Instant at, CacheUse use, CheckRun run, Throwable failure) {
        Requester r = request.requester();
        AuditEntry entry = failure != null || run == null
                ? new AuditEntry(at, r.via(), r.user(), r.channel(), request.check(), request.host(), Decision.ALLOWED,
                        "the run failed: " + (failure == null ? "no result" : rootOf(failure)), use, elapsed(at),
                        Optional.empty(), Optional.empty())
                : new AuditEntry(at, r.via(), r.user(), r.channel(), request.check(), request.host(), Decision.ALLOWED,
                        "", use, elapsed(at), Optional.of(run.report().verdict()), run.hostKeyFingerprint());
        write(entry);
        if (failure == null && run != null) {
            tell(() -> answers.answered(request, run));
        }
    }

    private void write(AuditEntry entry) {
        try {
            audit.record(entry);
        } catch (RuntimeException e) {
            // an audit log that breaks must not turn answers into errors; it is loud in the log instead
            LOG.log(System.Logger.Level.ERROR, "the audit log failed", e);
        }
    }

    private long elapsed(Instant at) {
        return Math.max(0, clock.millis() - at.toEpochMilli());
    }

    private static String rootOf(Throwable t) {
        Throwable root = t;
        while ((root instanceof CompletionException) && root.getCause() != null) {
            root = root.getCause();
        }
        return root.toString();
    }

    private static void count(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            // counting is never a reason to fail an answer
            LOG.log(System.Logger.Level.WARNING, "the metrics failed", e);
        }
    }

    private static void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a dispatch listener failed", e);
        }
    }

    /** The check of that name, or a refusal listing the loaded ones. */
    public Check check(String name) {
        return registry.find(name).orElseThrow(() -> BotException.badInput("unknown check `" + name
                + "`; loaded checks: " + String.join(", ", registry.names())));
    }

    /** The allowlisted host of that name, or a refusal listing the allowed ones. */
    public Host host(String name) {
        if (!Host.isValidName(name)) {
            throw BotException.badInput("`" + name + "` is not a host name (letters, digits, '.', '_', '-' only)");
        }
        return allowlist.find(name).orElseThrow(() -> BotException.notAllowed("unknown host `" + name
                + "`; hosts that may be checked: " + String.join(", ", allowlist.names())));
    }

    public CheckRegistry registry() {
        return registry;
    }

    public Allowlist allowlist() {
        return allowlist;
    }

    public CheckOptions options() {
        return options;
    }

    public Limits limits() {
        return queue.limits();
    }
}
