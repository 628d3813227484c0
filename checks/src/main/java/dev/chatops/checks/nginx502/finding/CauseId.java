package dev.chatops.checks.nginx502.rules;

import java.util.Map;

/** The cause ids of nginx502-causes.md (a contract of the JSON report) and their titles. */
public final class Catalogue {

    public static final String UPSTREAM_DOWN = "upstream-down";
    public static final String WRONG_ADDRESS = "upstream-wrong-address";
    public static final String STALE_DNS = "upstream-stale-dns";
    public static final String INVALID_HEADER = "upstream-invalid-header";
    public static final String TIMEOUT = "upstream-timeout";
    public static final String CONNECT_TIMEOUT = "upstream-connect-timeout";
    public static final String CLOSED_EARLY = "upstream-closed-early";
    public static final String BUFFER_TOO_SMALL = "buffer-too-small";
    public static final String SSL_VERIFY = "upstream-ssl-verify";
    public static final String SSL_HANDSHAKE = "upstream-ssl-handshake";
    public static final String PROTOCOL_MISMATCH = "protocol-mismatch";
    public static final String DNS_RESOLUTION = "dns-resolution";
    public static final String NO_LIVE_UPSTREAMS = "no-live-upstreams";
    public static final String SOCKET_PERMISSION = "socket-permission";
    public static final String SELINUX_DENIED = "selinux-denied";
    public static final String APPARMOR_DENIED = "apparmor-denied";
    public static final String PHP_FPM_SATURATED = "php-fpm-saturated";
    public static final String WORKER_CONNECTIONS = "worker-connections";
    public static final String FD_EXHAUSTED = "fd-exhausted";
    public static final String EPHEMERAL_PORTS = "ephemeral-ports-exhausted";
    public static final String OOM_KILLED = "oom-killed";
    public static final String RESOURCES_EXHAUSTED = "resources-exhausted";
    public static final String CONFIG_INVALID = "config-invalid";

    public static final Map<String, String> TITLES = Map.ofEntries(
            Map.entry(UPSTREAM_DOWN, "Upstream is not running"),
            Map.entry(WRONG_ADDRESS, "nginx points at an address where nothing listens"),
            Map.entry(STALE_DNS, "Upstream name resolved at start-up points at the old address"),
            Map.entry(INVALID_HEADER, "Upstream sends a response header nginx refuses"),
            Map.entry(TIMEOUT, "Upstream is too slow for the configured timeout"),
            Map.entry(CONNECT_TIMEOUT, "Connections to the upstream get no answer (firewall or routing)"),
            Map.entry(CLOSED_EARLY, "Upstream closes the connection before answering"),
            Map.entry(BUFFER_TOO_SMALL, "Upstream response headers do not fit the proxy buffer"),
            Map.entry(SSL_VERIFY, "Upstream TLS certificate does not verify"),
            Map.entry(SSL_HANDSHAKE, "TLS handshake with the upstream fails"),
            Map.entry(PROTOCOL_MISMATCH, "nginx speaks the wrong protocol to the upstream"),
            Map.entry(DNS_RESOLUTION, "Upstream name cannot be resolved"),
            Map.entry(NO_LIVE_UPSTREAMS, "Every server of the upstream is marked failed"),
            Map.entry(SOCKET_PERMISSION, "nginx may not connect to the upstream socket"),
            Map.entry(SELINUX_DENIED, "SELinux blocks nginx's connections"),
            Map.entry(APPARMOR_DENIED, "AppArmor blocks nginx"),
            Map.entry(PHP_FPM_SATURATED, "All php-fpm workers are busy"),
            Map.entry(WORKER_CONNECTIONS, "nginx ran out of worker connections"),
            Map.entry(FD_EXHAUSTED, "nginx ran out of file descriptors"),
            Map.entry(EPHEMERAL_PORTS, "No local ports left for new upstream connections"),
            Map.entry(OOM_KILLED, "The kernel killed the backend for memory"),
            Map.entry(RESOURCES_EXHAUSTED, "The host is out of disk space or memory"),
            Map.entry(CONFIG_INVALID, "The nginx config does not pass nginx -t"));

    private Catalogue() {
    }

    public static String title(String id) {
        String t = TITLES.get(id);
        if (t == null) {
            throw new IllegalArgumentException("cause id " + id + " is not in the catalogue");
        }
        return t;
    }
}
