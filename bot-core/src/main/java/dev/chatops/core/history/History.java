package dev.chatops.core.history;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The bot's memory. Implementations must be safe to call from several threads and processes at once.
 * Writes that fail throw {@link HistoryException}; callers that must not fail because of the store
 * (a report is still posted when it cannot be saved) catch it and say so in their log.
 */
public interface History {

    /** Keeps one report; its id is unique. */
    void saveReport(StoredReport report);

    /** One report by its id. */
    Optional<StoredReport> report(String id);

    /** A host's reports at or after {@code since}, newest first, at most {@code limit}. */
    List<StoredReport> reports(String host, Instant since, int limit);

    /** The newest reports asked in any of these channels, newest first, at most {@code limit}. */
    List<StoredReport> recentReports(Collection<String> channels, int limit);

    /** Keeps one answer to "was this the cause?"; a later answer by the same user on the same report replaces it. */
    void saveAnswer(Answer answer);

    /** Confirmed and rejected counts per check and cause id, most confirmed first. */
    List<CauseTally> tallies();

    /** Keeps one sweep with its line per host; its id is unique. */
    void saveSweep(StoredSweep sweep);

    /** A schedule's newest sweeps, newest first, at most {@code limit}. */
    List<StoredSweep> sweeps(String schedule, int limit);

    /** Removes everything older than {@code before}; returns how many rows went. */
    int prune(Instant before);
}
