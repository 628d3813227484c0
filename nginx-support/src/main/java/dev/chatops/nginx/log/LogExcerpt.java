package dev.chatops.nginx.log;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What was read of one log file: the lines of the time window (the host cut them to the window and a
 * byte cap; error logs without debug/info/notice lines, access logs only the lines that may carry a 5xx
 * status), the last few requests, how many lines the window held, and a sample of older errors.
 *
 * @param total      lines in the window (all of them, even those not kept)
 * @param olderCount error-ish lines older than the window in the part of the file that was read
 */
public record LogExcerpt(Kind kind, String path, State state, long size, List<String> lines, List<String> recent,
                         long total, long olderCount, List<String> older, boolean cutAtCap) {

    public enum Kind { ERROR, ACCESS }

    public enum State { READ, MISSING, UNREADABLE }

    public LogExcerpt {
        requireNonNull(kind, "kind is null");
        requireNonNull(path, "path is null");
        requireNonNull(state, "state is null");
        lines = List.copyOf(requireNonNull(lines, "lines is null"));
        recent = List.copyOf(requireNonNull(recent, "recent is null"));
        older = List.copyOf(requireNonNull(older, "older is null"));
    }

    /** The log path without a rotation suffix, as the config names it. */
    public String configuredPath() {
        return path.endsWith(".1") ? path.substring(0, path.length() - 2) : path;
    }
}
