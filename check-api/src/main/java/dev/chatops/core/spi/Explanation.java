package dev.chatops.core.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * What a check makes of pasted lines alone (see {@link Check#explain}): the causes the lines support,
 * ranked, with fixes in general form (a directive's name and value, without a file and line, since no
 * config was read); what to run on the host to confirm each; and what the lines were.
 *
 * @param diagnosis  causes the lines support ({@link Verdict#CAUSE_FOUND}), or {@link Verdict#INCONCLUSIVE}
 *                   with a summary saying what was and was not recognised; never healthy, since lines
 *                   someone chose to paste cannot show that a host is fine
 * @param confirm    commands to run on the host, for the causes in the diagnosis
 * @param recognised how many lines of each kind were read, e.g. {@code nginx error log → 3}, in order
 * @param unmatched  lines no reader of this check recognised, as pasted (quote them redacted)
 */
public record Explanation(Diagnosis diagnosis, List<Confirmation> confirm, Map<String, Integer> recognised,
                          List<PastedText.Line> unmatched) {

    /**
     * A command to run on the host to see whether a cause holds.
     *
     * @param causeId the cause it confirms, one of the diagnosis' cause ids
     * @param command the command, with a {@code # comment} saying what to look for
     */
    public record Confirmation(String causeId, String command) {
        public Confirmation {
            requireNonNull(causeId, "causeId is null");
            requireNonNull(command, "command is null");
        }
    }

    public Explanation {
        requireNonNull(diagnosis, "diagnosis is null");
        if (diagnosis.verdict() == Verdict.HEALTHY || diagnosis.verdict() == Verdict.UNREACHABLE) {
            throw new IllegalArgumentException("pasted lines are explained as cause-found or inconclusive, not "
                    + diagnosis.verdict().id());
        }
        confirm = List.copyOf(requireNonNull(confirm, "confirm is null"));
        recognised = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(
                requireNonNull(recognised, "recognised is null")));
        unmatched = List.copyOf(requireNonNull(unmatched, "unmatched is null"));
    }

    /** The commands that confirm one cause, in order. */
    public List<String> confirming(String causeId) {
        return confirm.stream().filter(c -> c.causeId().equals(causeId)).map(Confirmation::command).toList();
    }
}
