package dev.chatops.core.spi;

import static java.util.Objects.requireNonNull;

/**
 * What one probe returned. stdout and stderr are kept apart, each capped at the probe's byte
 * cap; {@code truncated} says that either was cut.
 *
 * @param exit the exit status; {@link #TIMED_OUT} when the transport cut the probe off,
 *             {@link #NOT_RUN} when it could not be started at all
 */
public record ProbeResult(String command, int exit, String stdout, String stderr, long ms, boolean truncated) {

    /** Exit status used for a probe cut off at its timeout (as timeout(1) does). */
    public static final int TIMED_OUT = 124;
    /** Exit status used for a probe that could not be started (as a shell's "not found"). */
    public static final int NOT_RUN = 127;

    public ProbeResult {
        requireNonNull(command, "command is null");
        requireNonNull(stdout, "stdout is null");
        requireNonNull(stderr, "stderr is null");
    }

    public boolean ok() {
        return exit == 0;
    }

    public boolean timedOut() {
        return exit == TIMED_OUT;
    }
}
