package dev.chatops.checks.nginx502.incident;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Requests of the window in one access log: how many there were, and the 5xx statuses the clients got,
 * per server block when the log (or its format) tells which.
 *
 * @param total       requests in the window (counted on the host)
 * @param byStatus    5xx statuses clients got, e.g. {502: 25}
 * @param byServer    per server label, per 5xx status
 * @param servers     the server blocks that write to this log
 * @param recentOk    of the last requests of the window, how many got a status below 500
 * @param cutAtCap    whether the byte cap cut the window short (a busy log)
 */
public record AccessStats(String path, long total, Map<Integer, Integer> byStatus,
                          Map<String, Map<Integer, Integer>> byServer, Map<String, Integer> byUpstream,
                          List<String> servers, int recentOk, int recentTotal, Optional<String> lastBadLine,
                          boolean cutAtCap) {

    public AccessStats {
        requireNonNull(path, "path is null");
        byStatus = new TreeMap<>(byStatus);
        byServer = Map.copyOf(byServer);
        byUpstream = Map.copyOf(byUpstream);
        servers = List.copyOf(servers);
        requireNonNull(lastBadLine, "lastBadLine is null");
    }

    /** {@code 502}, and {@code 009} as nginx logs a passed-through non-HTTP answer. */
    public static String status(int s) {
        return String.format("%03d", s);
    }

    public int count(int status) {
        return byStatus.getOrDefault(status, 0);
    }

    public int gatewayErrors() {
        return count(502) + count(504);
    }

    public int serverErrors() {
        return byStatus.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** {@code 502}, or {@code 502 (20×) or 504 (5×)} when clients got several statuses. */
    public String statusText() {
        return statusText(byStatus);
    }

    public String statusText(Map<Integer, Integer> counts) {
        if (counts.size() == 1) {
            return status(counts.keySet().iterator().next());
        }
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(counts).forEach((s, n) -> sb.append(sb.isEmpty() ? "" : " or ").append(status(s)).append(" (")
                .append(n).append("×)"));
        return sb.toString();
    }
}
