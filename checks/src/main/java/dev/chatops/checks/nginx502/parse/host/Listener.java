package dev.chatops.checks.nginx502.parse.host;

import static java.util.Objects.requireNonNull;

import dev.chatops.nginx.config.Endpoint;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A listening socket on the host: a TCP address and port, or a unix socket path, with the programs
 * that hold it (when the listing could show them), and its accept queue: connections waiting to be
 * accepted and the backlog ({@code -1} when unknown).
 */
public record Listener(String address, int port, Optional<String> path, List<String> programs, List<Integer> pids,
                       int queued, int backlog) {

    public Listener {
        requireNonNull(address, "address is null");
        requireNonNull(path, "path is null");
        programs = List.copyOf(requireNonNull(programs, "programs is null"));
        pids = List.copyOf(requireNonNull(pids, "pids is null"));
    }

    public Listener(String address, int port, Optional<String> path, List<String> programs, List<Integer> pids) {
        this(address, port, path, programs, pids, -1, -1);
    }

    /** The accept queue is full: the program listens but has stopped accepting (hung or overloaded). */
    public boolean queueFull() {
        return queued > 0 && backlog >= 0 && queued >= backlog;
    }

    public boolean isUnix() {
        return path.isPresent();
    }

    public boolean wildcard() {
        String a = address.toLowerCase(Locale.ROOT);
        return a.equals("*") || a.equals("0.0.0.0") || a.equals("[::]") || a.equals("::") || a.equals("[::ffff:0.0.0.0]");
    }

    /** Whether a connect to this endpoint reaches this listener. */
    public boolean serves(Endpoint e) {
        if (e.isUnix()) {
            return path.isPresent() && path.get().equals(e.unixPath().get());
        }
        if (path.isPresent() || port != e.port()) {
            return false;
        }
        String want = e.bareHost().toLowerCase(Locale.ROOT);
        String have = bare(address);
        boolean wantV6 = want.contains(":");
        boolean wantName = !wantV6 && !want.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (address.equals("*")) {
            return true;
        }
        if (have.equals("0.0.0.0")) {
            return !wantV6;
        }
        if (have.equals("::")) {
            return wantV6 || wantName;
        }
        if (want.equals("localhost")) {
            return have.equals("127.0.0.1") || have.equals("::1");
        }
        if (wantName) {
            return true;
        }
        return have.equals(want);
    }

    private static String bare(String a) {
        String s = a.toLowerCase(Locale.ROOT);
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        int pct = s.indexOf('%');
        return pct >= 0 ? s.substring(0, pct) : s;
    }

    /** As people read it: {@code 127.0.0.1:3000 (node)} or {@code /run/php/php8.2-fpm.sock (php-fpm8.2)}. */
    public String label() {
        String where = path.orElse((address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address)
                + ":" + port);
        return programs.isEmpty() ? where : where + " (" + String.join(", ", programs) + ")";
    }

    public String where() {
        return path.orElse((address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address) + ":" + port);
    }
}
