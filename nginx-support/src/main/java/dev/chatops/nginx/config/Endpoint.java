package dev.chatops.nginx.config;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where nginx connects to: a TCP host and port, or a unix socket path. The host is kept as written
 * (an IPv4 or IPv6 address, or a name that nginx resolves).
 */
public record Endpoint(String host, int port, Optional<String> unixPath) {

    // hosts are an IPv4 or bracketed IPv6 literal or a name of DNS characters (upstream names allow '_'),
    // never anything a shell or a URL would read as syntax: these come from logs that clients write into
    private static final Pattern HOST_PORT = Pattern.compile(
            "(\\[[0-9A-Fa-f:.]{2,45}]|[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252}))(?::(\\d{1,5}))?");
    private static final Pattern UNIX_PATH = Pattern.compile("/[A-Za-z0-9._@+/~-]{1,255}");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    public Endpoint {
        requireNonNull(host, "host is null");
        requireNonNull(unixPath, "unixPath is null");
    }

    public static Endpoint tcp(String host, int port) {
        return new Endpoint(host, port, Optional.empty());
    }

    public static Endpoint unix(String path) {
        return new Endpoint("", 0, Optional.of(path));
    }

    /**
     * Parses {@code 127.0.0.1:3000}, {@code [::1]:8080}, {@code name:80}, {@code unix:/run/x.sock} (and
     * {@code unix:/run/x.sock:} as nginx logs it); a missing port becomes {@code defaultPort}.
     */
    public static Optional<Endpoint> parse(String text, int defaultPort) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String t = text.trim();
        if (t.length() > 300) {
            return Optional.empty();
        }
        if (t.startsWith("unix:")) {
            String path = t.substring(5);
            if (path.endsWith(":")) {
                path = path.substring(0, path.length() - 1);
            }
            return UNIX_PATH.matcher(path).matches() ? Optional.of(unix(path)) : Optional.empty();
        }
        Matcher m = HOST_PORT.matcher(t);
        if (!m.matches()) {
            return Optional.empty();
        }
        String host = m.group(1);
        int port = m.group(2) == null ? defaultPort : Integer.parseInt(m.group(2));
        if (port < 1 || port > 65535) {
            return Optional.empty();
        }
        return Optional.of(tcp(host, port));
    }

    public boolean isUnix() {
        return unixPath.isPresent();
    }

    /** The host without IPv6 brackets. */
    public String bareHost() {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    public boolean isIpLiteral() {
        return !isUnix() && (IPV4.matcher(host).matches() || host.startsWith("["));
    }

    public boolean isLoopback() {
        String h = bareHost().toLowerCase(Locale.ROOT);
        return h.startsWith("127.") || h.equals("::1") || h.equals("localhost");
    }

    /** As nginx prints it in logs: {@code 127.0.0.1:3000}, {@code [::1]:8080} or {@code unix:/run/x.sock}. */
    public String key() {
        return unixPath.map(p -> "unix:" + p).orElseGet(() -> (host.contains(":") && !host.startsWith("[")
                ? "[" + host + "]" : host) + ":" + port);
    }

    @Override
    public String toString() {
        return key();
    }
}
