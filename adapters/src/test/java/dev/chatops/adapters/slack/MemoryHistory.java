package dev.chatops.adapters.slack;

import dev.chatops.core.history.Answer;
import dev.chatops.core.history.CauseTally;
import dev.chatops.core.history.History;
import dev.chatops.core.history.StoredReport;
import dev.chatops.core.history.StoredSweep;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The history store in memory, for the tests of what Slack does with it. */
final class MemoryHistory implements History {

    private final Map<String, StoredReport> reports = new LinkedHashMap<>();
    private final List<Answer> answers = new ArrayList<>();
    private final List<StoredSweep> sweeps = new ArrayList<>();

    @Override
    public synchronized void saveReport(StoredReport report) {
        if (reports.putIfAbsent(report.id(), report) != null) {
            throw new IllegalStateException("report " + report.id() + " saved twice");
        }
    }

    @Override
    public synchronized Optional<StoredReport> report(String id) {
        return Optional.ofNullable(reports.get(id));
    }

    @Override
    public synchronized List<StoredReport> reports(String host, Instant since, int limit) {
        return reports.values().stream().filter(r -> r.host().equals(host) && !r.at().isBefore(since))
                .sorted(Comparator.comparing(StoredReport::at).reversed()).limit(limit).toList();
    }

    @Override
    public synchronized List<StoredReport> recentReports(Collection<String> channels, int limit) {
        List<StoredReport> all = new ArrayList<>(reports.values());
        // newest first: by time, then by the order they were saved
        java.util.Collections.reverse(all);
        return all.stream().filter(r -> channels.contains(r.channel()))
                .sorted(Comparator.comparing(StoredReport::at).reversed()).limit(limit).toList();
    }

    @Override
    public synchronized void saveAnswer(Answer answer) {
        answers.removeIf(a -> a.reportId().equals(answer.reportId()) && a.user().equals(answer.user()));
        answers.add(answer);
    }

    @Override
    public synchronized List<CauseTally> tallies() {
        Map<String, int[]> counts = new LinkedHashMap<>();
        Map<String, Answer> first = new LinkedHashMap<>();
        for (Answer a : answers) {
            String key = a.check() + " " + a.causeId();
            first.putIfAbsent(key, a);
            counts.computeIfAbsent(key, k -> new int[2])[a.confirmed() ? 0 : 1]++;
        }
        return counts.entrySet().stream().map(e -> new CauseTally(first.get(e.getKey()).check(),
                first.get(e.getKey()).causeId(), e.getValue()[0], e.getValue()[1]))
                .sorted(Comparator.comparingInt(CauseTally::confirmed).reversed()).toList();
    }

    @Override
    public synchronized void saveSweep(StoredSweep sweep) {
        sweeps.add(sweep);
    }

    @Override
    public synchronized List<StoredSweep> sweeps(String schedule, int limit) {
        return sweeps.stream().filter(s -> s.schedule().equals(schedule))
                .sorted(Comparator.comparing(StoredSweep::at).reversed()).limit(limit).toList();
    }

    @Override
    public synchronized int prune(Instant before) {
        int n = reports.size();
        reports.values().removeIf(r -> r.at().isBefore(before));
        return n - reports.size();
    }

    synchronized List<StoredReport> reports() {
        return List.copyOf(reports.values());
    }

    synchronized List<Answer> answers() {
        return List.copyOf(answers);
    }
}
