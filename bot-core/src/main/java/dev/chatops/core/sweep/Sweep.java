package dev.chatops.core.sweep;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.dispatch.CheckRequest;
import dev.chatops.core.dispatch.DispatchListener;
import dev.chatops.core.dispatch.Dispatcher;
import dev.chatops.core.dispatch.Requester;
import dev.chatops.core.error.BotException;
import dev.chatops.core.host.Allowlist;
import dev.chatops.core.host.Host;
import dev.chatops.core.report.Report;
import dev.chatops.core.run.CheckRun;
import dev.chatops.core.schedule.Schedule;
import dev.chatops.core.spi.Check;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs a schedule's check on each of its hosts through the {@link Dispatcher}, all at once: the
 * dispatcher's limits decide how many run in parallel, the cache shares a run with anyone checking
 * the same host at that moment, and the audit log records each host. Results are fresh (the cache
 * is bypassed and refreshed). A host that is refused or whose run fails still gets its line. With a
 * {@link SweepMemory}, each sweep is kept and compared with the schedule's previous one.
 */
public final class Sweep {

    private final Dispatcher dispatcher;
    private final Clock clock;
    private final Optional<SweepMemory> memory;

    /** A sweep that keeps nothing and compares with nothing. */
    public Sweep(Dispatcher dispatcher, Clock clock) {
        this(dispatcher, clock, Optional.empty());
    }

    /** @param memory keeps each sweep and compares it with the schedule's previous one */
    public Sweep(Dispatcher dispatcher, Clock clock, Optional<SweepMemory> memory) {
        this.dispatcher = requireNonNull(dispatcher, "dispatcher is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.memory = requireNonNull(memory, "memory is null");
    }

    /**
     * Sweeps the schedule's hosts and waits for all of them.
     *
     * @throws BotException when the schedule's check is not loaded or it selects no host
     */
    public SweepResult run(Schedule schedule) {
        requireNonNull(schedule, "schedule is null");
        Instant startedAt = clock.instant();
        Check check = dispatcher.check(schedule.check());
        List<String> hosts = hosts(schedule, dispatcher.allowlist());
        if (hosts.isEmpty()) {
            throw BotException.badInput("schedule " + schedule.name() + " selects no host: no host under hosts: has "
                    + "the tags " + String.join(", ", schedule.tags()) + "; tag some hosts or list them by name");
        }
        Requester requester = Requester.schedule(schedule.name(), schedule.channel());
        Map<String, CompletableFuture<CheckRun>> runs = new LinkedHashMap<>();
        for (String host : hosts) {
            try {
                runs.put(host, dispatcher.submit(new CheckRequest(check.name(), host, true, requester),
                        DispatchListener.NONE));
            } catch (BotException refused) {
                runs.put(host, CompletableFuture.completedFuture(notChecked(check.name(), host, refused.getMessage())));
            }
        }
        List<SweepLine> lines = new ArrayList<>();
        runs.forEach((host, run) -> lines.add(new SweepLine(host, reportOf(check.name(), host, run))));
        SweepResult result = new SweepResult(schedule, startedAt, Math.max(0, clock.millis() - startedAt.toEpochMilli()),
                lines);
        return memory.map(m -> m.compareAndKeep(result)).orElse(result);
    }

    /** The schedule's hosts: those named, in order, then those carrying its tags, in allowlist order. */
    public static List<String> hosts(Schedule schedule, Allowlist allowlist) {
        Set<String> out = new LinkedHashSet<>(schedule.hosts());
        for (String tag : schedule.tags()) {
            allowlist.tagged(tag).stream().map(Host::name).forEach(out::add);
        }
        return List.copyOf(out);
    }

    private Report reportOf(String check, String host, CompletableFuture<CheckRun> run) {
        try {
            return run.join().report();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return notChecked(check, host, "the check failed on this host (" + cause
                    + "); run it by hand to see more: check " + check + " " + host).report();
        }
    }

    private CheckRun notChecked(String check, String host, String why) {
        return new CheckRun(Report.unreachable(check, host, clock.instant(), dispatcher.options().window(), 0, why),
                Optional.empty(), Optional.empty());
    }
}
