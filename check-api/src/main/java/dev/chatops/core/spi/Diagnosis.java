package dev.chatops.core.spi;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.List;

/**
 * What a check concluded from evidence: the verdict, a one-line summary, the causes ranked most
 * likely first, and notes (lint findings, context) that are not causes on their own.
 */
public record Diagnosis(Verdict verdict, String summary, List<Cause> causes, List<String> notes) {

    public Diagnosis {
        requireNonNull(verdict, "verdict is null");
        requireNonNull(summary, "summary is null");
        causes = requireNonNull(causes, "causes is null").stream()
                .sorted(Comparator.comparingDouble(Cause::confidence).reversed())
                .toList();
        notes = List.copyOf(requireNonNull(notes, "notes is null"));
        if (verdict == Verdict.CAUSE_FOUND && causes.isEmpty()) {
            throw new IllegalArgumentException("verdict cause-found needs at least one cause");
        }
        if (verdict != Verdict.CAUSE_FOUND && !causes.isEmpty()) {
            throw new IllegalArgumentException("verdict " + verdict.id() + " must not carry causes");
        }
    }

    public static Diagnosis causes(String summary, List<Cause> causes, List<String> notes) {
        return new Diagnosis(Verdict.CAUSE_FOUND, summary, causes, notes);
    }

    public static Diagnosis healthy(String summary, List<String> notes) {
        return new Diagnosis(Verdict.HEALTHY, summary, List.of(), notes);
    }

    public static Diagnosis inconclusive(String summary, List<String> notes) {
        return new Diagnosis(Verdict.INCONCLUSIVE, summary, List.of(), notes);
    }
}
