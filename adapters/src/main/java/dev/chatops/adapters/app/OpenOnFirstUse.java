package dev.chatops.adapters.app;

import static java.util.Objects.requireNonNull;

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
 * A history store opened when first used, so commands that keep nothing ({@code checks},
 * {@code replay}) neither make a state folder nor wait for a database. An open that fails is tried
 * again on the next use: a database that was down at start may be back.
 */
final class OpenOnFirstUse implements History {

    private final Supplier<History> open;
    private volatile History opened;

    OpenOnFirstUse(Supplier<History> open) {
        this.open = requireNonNull(open, "open is null");
    }

    private History store() {
        History h = opened;
        if (h == null) {
            synchronized (this) {
                h = opened;
                if (h == null) {
                    h = open.get();
                    opened = h;
                }
            }
        }
        return h;
    }

    @Override
    public void saveReport(StoredReport report) {
        store().saveReport(report);
    }

    @Override
    public Optional<StoredReport> report(String id) {
        return store().report(id);
    }

    @Override
    public List<StoredReport> reports(String host, Instant since, int limit) {
        return store().reports(host, since, limit);
    }

    @Override
    public List<StoredReport> recentReports(Collection<String> channels, int limit) {
        return store().recentReports(channels, limit);
    }

    @Override
    public void saveAnswer(Answer answer) {
        store().saveAnswer(answer);
    }

    @Override
    public List<CauseTally> tallies() {
        return store().tallies();
    }

    @Override
    public void saveSweep(StoredSweep sweep) {
        store().saveSweep(sweep);
    }

    @Override
    public List<StoredSweep> sweeps(String schedule, int limit) {
        return store().sweeps(schedule, limit);
    }

    @Override
    public int prune(Instant before) {
        return store().prune(before);
    }
}
