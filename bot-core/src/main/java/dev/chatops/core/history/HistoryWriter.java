package dev.chatops.core.history;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Uses the {@link History} where a failing store must not fail the answer: a report is still posted,
 * a sweep still published. Each kind of failure (what was being done, and the error's type) is logged
 * once, not once per report, until the store works again, which is logged too.
 */
public final class HistoryWriter {

    private static final System.Logger LOG = System.getLogger(HistoryWriter.class.getName());

    private final History history;
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    public HistoryWriter(History history) {
        this.history = requireNonNull(history, "history is null");
    }

    public History history() {
        return history;
    }

    /** Keeps the report; false (and logged, once per kind) when the store failed. */
    public boolean saveReport(StoredReport report) {
        requireNonNull(report, "report is null");
        return attempt("keep reports", () -> {
            history.saveReport(report);
            return true;
        }).orElse(false);
    }

    /** Keeps the sweep; false (and logged, once per kind) when the store failed. */
    public boolean saveSweep(StoredSweep sweep) {
        requireNonNull(sweep, "sweep is null");
        return attempt("keep sweeps", () -> {
            history.saveSweep(sweep);
            return true;
        }).orElse(false);
    }

    /** The schedule's newest sweeps; empty (and logged, once per kind) when the store failed. */
    public Optional<List<StoredSweep>> sweeps(String schedule, int limit) {
        return attempt("read earlier sweeps", () -> history.sweeps(schedule, limit));
    }

    /** Runs a store call; its failure (any exception: a broken store must not break answers) is logged once per kind and reported as empty. */
    public <T> Optional<T> attempt(String what, Supplier<T> call) {
        try {
            T out = call.get();
            if (!failing.isEmpty() && failing.removeIf(k -> k.startsWith(what + ":"))) {
                LOG.log(System.Logger.Level.INFO, "the history store works again: it could " + what + " again");
            }
            return Optional.of(out);
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (failing.add(what + ":" + root.getClass().getName())) {
                LOG.log(System.Logger.Level.ERROR, "the history store failed, so the bot cannot " + what
                        + " (answers are still given; this is logged once until it works again): " + e.getMessage(),
                        e);
            }
            return Optional.empty();
        }
    }
}
