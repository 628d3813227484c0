package dev.chatops.core.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What an operator installs once on each host so that a check can read everything it needs: root-owned
 * files (a fixed helper program) and the exact sudoers lines that allow them. Shown by the command line
 * ({@code host-setup CHECK}), never installed by the bot.
 *
 * @param files   the files, each installed root-owned with its mode
 * @param sudoers the sudoers lines, for the bot's user {@code chatops}
 */
public record HostSetup(List<File> files, List<String> sudoers) {

    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._/-]{1,255}");

    /** One file: an absolute path of plain characters, an octal mode such as {@code 0755}, its text. */
    public record File(String path, String mode, String text) {

        public File {
            requireNonNull(path, "path is null");
            requireNonNull(mode, "mode is null");
            requireNonNull(text, "text is null");
            if (!PATH.matcher(path).matches() || path.contains("..") || !mode.matches("0[0-7]{3}")) {
                throw new IllegalArgumentException("a host file needs a plain absolute path and an octal mode");
            }
        }
    }

    public HostSetup {
        files = List.copyOf(requireNonNull(files, "files is null"));
        sudoers = List.copyOf(requireNonNull(sudoers, "sudoers is null"));
    }

    public static HostSetup none() {
        return new HostSetup(List.of(), List.of());
    }

    public boolean isEmpty() {
        return files.isEmpty() && sudoers.isEmpty();
    }
}
