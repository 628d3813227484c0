package dev.chatops.core.sweep;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.history.StoredSweep;
import dev.chatops.core.history.StoredSweep.SweptHost;
import dev.chatops.core.spi.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What changed since the schedule's previous sweep: hosts that started failing, hosts still failing
 * (and since which sweep), hosts that recovered, and how many stayed healthy. "Failing" is any verdict
 * but healthy: a host that cannot be checked is news too.
 *
 * @param previousAt       when the previous sweep ran
 * @param newFailures      failing now, healthy (or not swept) last time; worst first
 * @param stillFailing     failing now and last time; worst first
 * @param recovered        healthy now, failing last time
 * @param unchangedHealthy how many other hosts are healthy
 * @param gatewayCounts    per failing host, its 502 counts over the last {@value #SPARK_SWEEPS} sweeps it
 *                         was in, oldest first, this one last
 */
public record SweepDiff(Instant previousAt, List<SweepLine> newFailures, List<Still> stillFailing,
                        List<Recovered> recovered, int unchangedHealthy, Map<String, List<Integer>> gatewayCounts) {

    /** How many sweeps a sparkline spans, this one included. */
    public static final int SPARK_SWEEPS = 7;
    /** How many earlier sweeps are read to say since when a host fails. */
    public static final int LOOK_BACK = 60;
    private static final char[] BARS = {'▁', '▂', '▃', '▅', '▇'};

    public SweepDiff {
        requireNonNull(previousAt, "previousAt is null");
        newFailures = List.copyOf(requireNonNull(newFailures, "newFailures is null"));
        stillFailing = List.copyOf(requireNonNull(stillFailing, "stillFailing is null"));
        recovered = List.copyOf(requireNonNull(recovered, "recovered is null"));
        gatewayCounts = Map.copyOf(requireNonNull(gatewayCounts, "gatewayCounts is null"));
    }

    /**
     * A host failing in this sweep and the previous one.
     *
     * @param since   the first sweep of the unbroken run of failing sweeps
     * @param atLeast true when each of the {@value #LOOK_BACK} sweeps read was failing, so it may have
     *                started earlier still
     * @param was     its verdict and leading cause last time, when they differ from now
     */
    public record Still(SweepLine line, Instant since, boolean atLeast, Optional<String> was) {
        public Still {
            requireNonNull(line, "line is null");
            requireNonNull(since, "since is null");
            requireNonNull(was, "was is null");
        }
    }

    /** A host healthy now that failed last time, with what it had then. */
    public record Recovered(SweepLine line, Verdict was, String wasCauseId) {
        public Recovered {
            requireNonNull(line, "line is null");
            requireNonNull(was, "was is null");
            requireNonNull(wasCauseId, "wasCauseId is null");
        }
    }

    /**
     * Compares a sweep with the schedule's earlier ones.
     *
     * @param earlier the schedule's earlier sweeps, newest first; empty when there is none
     * @return empty when there is no earlier sweep
     */
    public static Optional<SweepDiff> between(SweepResult current, List<StoredSweep> earlier) {
        requireNonNull(current, "current is null");
        requireNonNull(earlier, "earlier is null");
        if (earlier.isEmpty()) {
            return Optional.empty();
        }
        List<Map<String, SweptHost>> hosts = earlier.stream().map(SweepDiff::byHost).toList();
        Map<String, SweptHost> previous = hosts.get(0);
        List<SweepLine> fresh = new ArrayList<>();
        List<Still> still = new ArrayList<>();
        List<Recovered> recovered = new ArrayList<>();
        Map<String, List<Integer>> counts = new LinkedHashMap<>();
        int healthy = 0;
        for (SweepLine line : current.lines()) {
            SweptHost before = previous.get(line.host());
            boolean failedBefore = before != null && before.verdict() != Verdict.HEALTHY;
            if (line.healthy()) {
                if (failedBefore) {
                    recovered.add(new Recovered(line, before.verdict(), before.causeId()));
                } else {
                    healthy++;
                }
                continue;
            }
            counts.put(line.host(), gatewayCounts(line, hosts));
            if (!failedBefore) {
                fresh.add(line);
                continue;
            }
            Instant since = earlier.get(0).at();
            // failing in every sweep read: when the read stopped at its limit it may go back further still
            boolean atLeast = earlier.size() >= LOOK_BACK;
            for (int i = 0; i < earlier.size(); i++) {
                SweptHost h = hosts.get(i).get(line.host());
                if (h == null || h.verdict() == Verdict.HEALTHY) {
                    atLeast = false;
                    break;
                }
                since = earlier.get(i).at();
            }
            String now = label(line.verdict(), line.causeId().orElse(""));
            String then = label(before.verdict(), before.causeId());
            still.add(new Still(line, since, atLeast, now.equals(then) ? Optional.empty() : Optional.of(then)));
        }
        return Optional.of(new SweepDiff(earlier.get(0).at(), fresh, still, recovered, healthy, counts));
    }

    /** {@code ▁▂▃▅▇}: each sweep's 502 count scaled to the host's largest in the span; ▁ is none. */
    public String sparkline(String host) {
        List<Integer> values = gatewayCounts.getOrDefault(host, List.of());
        int max = values.stream().mapToInt(Integer::intValue).max().orElse(0);
        StringBuilder sb = new StringBuilder();
        for (int v : values) {
            // any 502 at all shows above the floor, however small beside the host's worst sweep
            sb.append(v == 0 || max == 0 ? BARS[0] : BARS[(int) Math.max(1, Math.round(v * 4.0 / max))]);
        }
        return sb.toString();
    }

    /** The verdict as a word, or the cause's id when one was found. */
    public static String label(Verdict verdict, String causeId) {
        return verdict == Verdict.CAUSE_FOUND && !causeId.isEmpty() ? causeId : verdict.id();
    }

    private static List<Integer> gatewayCounts(SweepLine line, List<Map<String, SweptHost>> earlier) {
        List<Integer> out = new ArrayList<>();
        for (Map<String, SweptHost> s : earlier) {
            if (out.size() == SPARK_SWEEPS - 1) {
                break;
            }
            SweptHost h = s.get(line.host());
            if (h != null) {
                out.add(0, h.gatewayErrors());
            }
        }
        out.add(line.gatewayErrors());
        return out;
    }

    private static Map<String, SweptHost> byHost(StoredSweep sweep) {
        Map<String, SweptHost> out = new LinkedHashMap<>();
        sweep.hosts().forEach(h -> out.putIfAbsent(h.host(), h));
        return out;
    }
}
