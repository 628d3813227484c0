package dev.chatops.adapters.ssh;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The project's rule for tests that need real binaries: skip when one is missing, unless
 * {@code -Dchatops.requireRealServices=true} (CI), where a missing binary is a failure.
 */
final class RealServices {

    private RealServices() {
    }

    static boolean required() {
        return Boolean.getBoolean("chatops.requireRealServices");
    }

    /** The binary's path, or the test is skipped (failed on CI) with a message naming it. */
    static Path binary(String name) {
        Optional<Path> found = Stream.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin")
                .map(dir -> Path.of(dir, name)).filter(Files::isExecutable).findFirst();
        if (found.isEmpty()) {
            unavailable(name + " is not installed; run scripts/install-os-packages (as root)");
        }
        return found.get();
    }

    /** Skips the test, or fails it on CI, saying what is missing. */
    static void unavailable(String why) {
        if (required()) {
            fail(why + " (chatops.requireRealServices=true, so this test must run)");
        }
        assumeTrue(false, why);
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
