package dev.chatops.checks.nginx502.finding;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The causes nginx502 can name: the ids of nginx502-causes.md, which are a contract of the JSON report (saved
 * evidence, the docs and the lab name them), and the title a report gives each.
 */
public enum CauseId {
    UPSTREAM_DOWN("upstream-down", "Upstream is not running"),
    WRONG_ADDRESS("upstream-wrong-address", "nginx points at an address where nothing listens"),
    STALE_DNS("upstream-stale-dns", "Upstream name resolved at start-up points at the old address"),
    INVALID_HEADER("upstream-invalid-header", "Upstream sends a response header nginx refuses"),
    TIMEOUT("upstream-timeout", "Upstream is too slow for the configured timeout"),
    CONNECT_TIMEOUT("upstream-connect-timeout", "Connections to the upstream get no answer (firewall or routing)"),
    CLOSED_EARLY("upstream-closed-early", "Upstream closes the connection before answering"),
    BUFFER_TOO_SMALL("buffer-too-small", "Upstream response headers do not fit the proxy buffer"),
    SSL_VERIFY("upstream-ssl-verify", "Upstream TLS certificate does not verify"),
    SSL_HANDSHAKE("upstream-ssl-handshake", "TLS handshake with the upstream fails"),
    PROTOCOL_MISMATCH("protocol-mismatch", "nginx speaks the wrong protocol to the upstream"),
    DNS_RESOLUTION("dns-resolution", "Upstream name cannot be resolved"),
    NO_LIVE_UPSTREAMS("no-live-upstreams", "Every server of the upstream is marked failed"),
    SOCKET_PERMISSION("socket-permission", "nginx may not connect to the upstream socket"),
    SELINUX_DENIED("selinux-denied", "SELinux blocks nginx's connections"),
    APPARMOR_DENIED("apparmor-denied", "AppArmor blocks nginx"),
    PHP_FPM_SATURATED("php-fpm-saturated", "All php-fpm workers are busy"),
    WORKER_CONNECTIONS("worker-connections", "nginx ran out of worker connections"),
    FD_EXHAUSTED("fd-exhausted", "nginx ran out of file descriptors"),
    EPHEMERAL_PORTS("ephemeral-ports-exhausted", "No local ports left for new upstream connections"),
    OOM_KILLED("oom-killed", "The kernel killed the backend for memory"),
    RESOURCES_EXHAUSTED("resources-exhausted", "The host is out of disk space or memory"),
    CONFIG_INVALID("config-invalid", "The nginx config does not pass nginx -t");

    private final String id;
    private final String title;

    CauseId(String id, String title) {
        this.id = id;
        this.title = title;
    }

    /** The id as reports and evidence files spell it, e.g. {@code upstream-down}. */
    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    /** Every id as reports spell it. */
    public static Set<String> ids() {
        return Arrays.stream(values()).map(CauseId::id).collect(Collectors.toUnmodifiableSet());
    }

    /** The title of an id as reports spell it. */
    public static String titleOf(String id) {
        return of(id).map(CauseId::title)
                .orElseThrow(() -> new IllegalArgumentException("cause id " + id + " is not in the catalogue"));
    }

    public static Optional<CauseId> of(String id) {
        return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
