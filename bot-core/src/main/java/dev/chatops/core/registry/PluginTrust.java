package dev.chatops.core.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a plugin folder or jar can be trusted to run inside the bot, judged as sshd's StrictModes
 * judges a user's key files: it must be owned by root or by the user running the bot and writable
 * by nobody else, and so must every folder above it, except a folder with the sticky bit (like
 * {@code /tmp}), where others cannot rename or replace what is not theirs. A plugin's code runs with
 * the bot's SSH key, so anyone who can change the jar can reach every host.
 */
final class PluginTrust {

    private static final int STICKY = 01000;

    private PluginTrust() {
    }

    /** Why the folder must not be loaded, in one sentence; empty when it may be. */
    static Optional<String> problemWithFolder(Path dir) {
        if (!dir.isAbsolute()) {
            return Optional.of("plugin folder " + dir + " is not an absolute path; give plugins: absolute paths such as "
                    + "/opt/chatops/plugins");
        }
        if (!Files.isDirectory(dir)) {
            return Optional.of("plugin folder " + dir + " does not exist or is not a folder; create it or remove it "
                    + "from plugins:");
        }
        Optional<String> own = problem(dir, "plugin folder", false);
        if (own.isPresent()) {
            return own;
        }
        for (Path p = dir.getParent(); p != null; p = p.getParent()) {
            Optional<String> above = problem(p, "folder " + p + " above the plugin folder " + dir, true);
            if (above.isPresent()) {
                return above;
            }
        }
        return Optional.empty();
    }

    /** Why the jar must not be loaded, in one sentence; empty when it may be. */
    static Optional<String> problemWithJar(Path jar) {
        return problem(jar, "plugin jar", false);
    }

    private static Optional<String> problem(Path path, String what, boolean stickyIsEnough) {
        String label = what.startsWith("folder ") ? what : what + " " + path;
        PosixFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, PosixFileAttributes.class);
        } catch (UnsupportedOperationException e) {
            return Optional.empty(); // no POSIX owners or modes to judge (not a Unix file system)
        } catch (IOException e) {
            return Optional.of("cannot inspect " + label + " (" + e.getMessage() + "); not loading plugins from it");
        }
        String owner = attrs.owner().getName();
        String me = System.getProperty("user.name");
        if (!owner.equals("root") && !owner.equals(me) && !isRoot(path)) {
            return Optional.of(label + " is owned by " + owner + ", not by root or " + me + " (the user running the bot), "
                    + "so its owner could make the bot run any code; not loading it: run chown root " + path);
        }
        Set<PosixFilePermission> perms = attrs.permissions();
        boolean othersWrite = perms.contains(PosixFilePermission.GROUP_WRITE)
                || perms.contains(PosixFilePermission.OTHERS_WRITE);
        if (othersWrite && !(stickyIsEnough && sticky(path))) {
            return Optional.of(label + " is writable by its group or by others, so they could plant code the bot "
                    + "would run; not loading it: run chmod go-w " + path);
        }
        return Optional.empty();
    }

    /** The owner's name may be unknown to this system; uid 0 is root all the same. */
    private static boolean isRoot(Path path) {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(path, "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean sticky(Path path) {
        try {
            return ((Integer) Files.getAttribute(path, "unix:mode") & STICKY) != 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return false;
        }
    }
}
