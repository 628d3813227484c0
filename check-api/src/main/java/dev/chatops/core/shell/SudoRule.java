package dev.chatops.core.shell;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a probe that needs root may be: one plain program with fixed arguments, run as
 * {@code sudo -n <program> <arguments>}. That is what one sudoers line can allow exactly, and a pipe
 * or a {@code ;} would run its other half without sudo anyway. Words are separated by single spaces
 * and hold only plain characters; a word may be single-quoted (as {@link ShellQuote} quotes paths taken
 * from a host's own data) when what is inside would be a plain word anyway. Every transport applies
 * this rule, so a check breaking it fails the same way in a test, on this machine and over SSH.
 */
public final class SudoRule {

    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_./=:,+@%-]+");
    private static final Pattern PROGRAM = Pattern.compile("[A-Za-z0-9_./+-]+");

    private SudoRule() {
    }

    /**
     * The program and its arguments, quotes dropped (so a sudoers line names the same arguments sudo
     * sees), or empty when the command holds anything a shell would interpret.
     */
    public static Optional<List<String>> words(String command) {
        requireNonNull(command, "command is null");
        String trimmed = command.strip();
        if (trimmed.isEmpty() || !trimmed.equals(command) || trimmed.contains("  ")) {
            return Optional.empty();
        }
        List<String> words = List.of(trimmed.split(" ")).stream().map(SudoRule::unquote).toList();
        if (!PROGRAM.matcher(words.get(0)).matches() || words.get(0).startsWith("-")
                || !words.stream().allMatch(w -> WORD.matcher(w).matches())) {
            return Optional.empty();
        }
        return Optional.of(words);
    }

    /**
     * The sentence saying why probe {@code name} cannot run under sudo with {@code command}, or empty
     * when the command keeps the rule.
     */
    public static Optional<String> problem(String name, String command) {
        requireNonNull(name, "name is null");
        if (words(command).isPresent()) {
            return Optional.empty();
        }
        return Optional.of("probe " + name + " needs root, but its command is not one program with plain arguments, "
                + "so it cannot run as sudo -n (nor be allowed by one exact sudoers line); this is a bug in the check");
    }

    private static String unquote(String word) {
        boolean quoted = word.length() >= 2 && word.startsWith("'") && word.endsWith("'");
        return quoted ? word.substring(1, word.length() - 1) : word;
    }
}
