package dev.chatops.adapters.app;

import dev.chatops.core.history.Answer;
import dev.chatops.core.history.CauseTally;
import dev.chatops.core.history.History;
import dev.chatops.core.history.StoredReport;
import dev.chatops.core.history.StoredSweep;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The history store, opened when first used ({@link OnFirstUse}).
 */
final class OpenOnFirstUse implements History {

    private final OnFirstUse<History> store;

    OpenOnFirstUse(Supplier<History> open) {
        this.store = new OnFirstUse<>(open);
    }

    /** Starts opening the store now, on a thread of its own ({@link OnFirstUse#openAhead}). */
    void openAhead() {
        store.openAhead("chatops-history-open");
    }

    @Override
    public void saveReport(StoredReport report) {
        store.get().saveReport(report);
    }

    @Override
    public Optional<StoredReport> report(String id) {
        return store.get().report(id);
    }

    @Override
    public List<StoredReport> reports(String host, Instant since, int limit) {
        return store.get().reports(host, since, limit);
    }

    @Override
    public List<StoredReport> recentReports(Collection<String> channels, int limit) {
        return store.get().recentReports(channels, limit);
    }

    @Override
    public void saveAnswer(Answer answer) {
        store.get().saveAnswer(answer);
    }

    @Override
    public List<CauseTally> tallies() {
        return store.get().tallies();
    }

    @Override
    public void saveSweep(StoredSweep sweep) {
        store.get().saveSweep(sweep);
    }

    @Override
    public List<StoredSweep> sweeps(String schedule, int limit) {
        return store.get().sweeps(schedule, limit);
    }

    @Override
    public int prune(Instant before) {
        return store.get().prune(before);
    }
}
