package dev.chatops.adapters.ssh;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.shell.SudoRule;
import java.util.List;
import java.util.Optional;

/**
 * A probe that needs root, run as {@code sudo -n <program> <fixed args>}. {@code -n} makes sudo
 * fail at once instead of waiting for a password nobody will type. The command must be a single
 * program with plain arguments: that is what a sudoers line can allow exactly, and a pipe or a
 * {@code ;} would run its other half without sudo anyway.
 *
 * @param program   the program as the probe names it, e.g. {@code nginx} or {@code /usr/sbin/ss}
 * @param arguments its fixed arguments, e.g. {@code [-T]}
 */
record SudoCommand(String program, List<String> arguments) {

    /** sudo's own default secure_path (Debian, Ubuntu, RHEL): where it looks for the program. */
    static final String SECURE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private static final List<String> REFUSALS = List.of("a password is required", "a terminal is required",
            "is not in the sudoers file", "is not allowed to execute", "may not run sudo",
            "you must have a tty to run sudo", "no tty present");

    SudoCommand {
        requireNonNull(program, "program is null");
        arguments = List.copyOf(requireNonNull(arguments, "arguments is null"));
    }

    /**
     * The command as a program and arguments, or empty when it breaks the {@link SudoRule}.
     */
    static Optional<SudoCommand> parse(String command) {
        return SudoRule.words(command).map(w -> new SudoCommand(w.get(0), w.subList(1, w.size())));
    }

    /** The command line the probe runs: {@code sudo -n nginx -T}. */
    String commandLine() {
        return "sudo -n " + program + (arguments.isEmpty() ? "" : " " + String.join(" ", arguments));
    }

    /** Whether sudo's stderr says it refused for want of a password or a rule. */
    static boolean refused(String stderr) {
        return REFUSALS.stream().anyMatch(stderr::contains);
    }

    static boolean wantsTty(String stderr) {
        return stderr.contains("you must have a tty") || stderr.contains("no tty present");
    }

    /**
     * The sudoers line that allows exactly this command and nothing else, for {@code user}, with the
     * program's full path as sudoers requires: {@code chatops ALL=(root) NOPASSWD: /usr/sbin/nginx -T}.
     * Without arguments a sudoers command would allow any arguments; with them it allows only these.
     */
    String sudoersLine(String user, String programPath) {
        StringBuilder sb = new StringBuilder(user).append(" ALL=(root) NOPASSWD: ").append(programPath);
        if (arguments.isEmpty()) {
            // "" is sudoers for "no arguments at all"
            sb.append(" \"\"");
        }
        for (String a : arguments) {
            sb.append(' ').append(a.replace("\\", "\\\\").replace(",", "\\,").replace(":", "\\:")
                    .replace("=", "\\="));
        }
        return sb.toString();
    }
}
