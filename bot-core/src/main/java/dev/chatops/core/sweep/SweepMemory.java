package dev.chatops.core.sweep;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.history.HistoryWriter;
import dev.chatops.core.history.StoredSweep;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Keeps each sweep in the history and compares it with the schedule's earlier ones. A store that
 * fails makes the sweep look like a first one (no diff); it never stops the post.
 */
public final class SweepMemory {

    private final HistoryWriter writer;

    public SweepMemory(HistoryWriter writer) {
        this.writer = requireNonNull(writer, "writer is null");
    }

    /** The sweep compared with the schedule's earlier ones, then kept. */
    public SweepResult compareAndKeep(SweepResult result) {
        requireNonNull(result, "result is null");
        Optional<SweepDiff> diff = writer.sweeps(result.schedule().name(), SweepDiff.LOOK_BACK)
                .flatMap(earlier -> SweepDiff.between(result, earlier));
        writer.saveSweep(stored(result));
        return diff.map(result::withDiff).orElse(result);
    }

    /** The sweep as kept: a line per host with its verdict, leading cause and 502 count. */
    static StoredSweep stored(SweepResult result) {
        List<StoredSweep.SweptHost> hosts = result.lines().stream()
                .map(l -> new StoredSweep.SweptHost(l.host(), l.verdict(), l.causeId().orElse(""), l.gatewayErrors()))
                .toList();
        return new StoredSweep(UUID.randomUUID().toString(), result.schedule().name(), result.schedule().check(),
                result.startedAt(), result.durationMs(), hosts);
    }
}
