package dev.chatops.core.spi;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.shell.SudoRule;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One named, fixed, read-only command to run on a host.
 *
 * @param name     unique within a check, e.g. {@code error-log}; also the key in saved evidence
 * @param command  the shell command; never built from user text
 * @param timeout  how long it may run before it is cut off
 * @param maxBytes cap on stdout and on stderr each; more is dropped and marked truncated
 * @param sudo     whether it needs root: run as {@code sudo -n <command>} when sudo is enabled, so
 *                 the command must then be a single program with fixed arguments
 */
public record Probe(String name, String command, Duration timeout, int maxBytes, boolean sudo) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{0,63}");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_BYTES = 256 * 1024;

    public Probe {
        requireNonNull(name, "name is null");
        requireNonNull(command, "command is null");
        requireNonNull(timeout, "timeout is null");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("probe name must be lower-case letters, digits, '.' or '-': " + name);
        }
        if (command.isBlank()) {
            throw new IllegalArgumentException("probe " + name + " has an empty command");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("probe " + name + " timeout must be positive");
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("probe " + name + " maxBytes must be positive");
        }
    }

    /** A probe with the default timeout and byte cap that does not need root. */
    public static Probe of(String name, String command) {
        return new Probe(name, command, DEFAULT_TIMEOUT, DEFAULT_MAX_BYTES, false);
    }

    public Probe withTimeout(Duration newTimeout) {
        return new Probe(name, command, newTimeout, maxBytes, sudo);
    }

    public Probe withMaxBytes(int newMaxBytes) {
        return new Probe(name, command, timeout, newMaxBytes, sudo);
    }

    /**
     * Why this probe cannot run under sudo ({@link SudoRule}), or empty when it keeps the rule or does
     * not need root. Transports refuse such a probe with this sentence instead of running it.
     */
    public Optional<String> sudoProblem() {
        return sudo ? SudoRule.problem(name, command) : Optional.empty();
    }

    public Probe asRoot() {
        return new Probe(name, command, timeout, maxBytes, true);
    }
}
