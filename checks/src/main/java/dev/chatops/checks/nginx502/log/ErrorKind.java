package dev.chatops.checks.nginx502.log;

/**
 * What an error-log line says went wrong, decided by errno number and nginx's fixed phrases, never
 * by the libc's wording of the errno (which differs between glibc and musl).
 */
public enum ErrorKind {
    /** {@code connect() failed (111: …)}: nothing accepts on the address. */
    REFUSED(502),
    /** {@code connect() to unix:… failed (2: …)}: the socket file does not exist. */
    NO_SOCKET_FILE(502),
    /** {@code connect() … failed (13: …)}: the kernel refused the connect (file mode, SELinux, AppArmor). */
    PERMISSION(502),
    /** {@code upstream timed out (110: …) while connecting to upstream}. */
    CONNECT_TIMEOUT(504),
    /** {@code upstream timed out (110: …) while reading response header from upstream} (or reading the body). */
    READ_TIMEOUT(504),
    /** {@code upstream timed out (110: …) while sending request to upstream}. */
    SEND_TIMEOUT(504),
    /** {@code (113: No route to host)}, {@code (101: Network is unreachable)}. */
    UNREACHABLE(502),
    /** {@code recv() failed (104: …)} or a broken pipe (32) while talking to the upstream. */
    RESET(502),
    /** {@code upstream prematurely closed connection}. */
    PREMATURE_CLOSE(502),
    /** {@code upstream sent too big header}. */
    TOO_BIG_HEADER(502),
    /** {@code upstream sent invalid header}, duplicate header lines, Content-Length with Transfer-Encoding. */
    INVALID_HEADER(502),
    /** {@code upstream sent no valid HTTP/1.0 header}: not HTTP at all (passed through, logged as 009). */
    NO_VALID_HTTP(9),
    /** {@code upstream sent unsupported FastCGI protocol version}: FastCGI spoken to a non-FastCGI port. */
    FASTCGI_PROTOCOL(502),
    /** {@code upstream SSL certificate verify error} or a certificate that does not match the name. */
    SSL_VERIFY(502),
    /** {@code SSL_do_handshake() failed}, {@code peer closed connection in SSL handshake}. */
    SSL_HANDSHAKE(502),
    /** {@code no resolver defined to resolve NAME}. */
    NO_RESOLVER(502),
    /** {@code NAME could not be resolved}. */
    NOT_RESOLVED(502),
    /** {@code host not found in upstream "NAME"} (at start or reload). */
    HOST_NOT_FOUND(0),
    /** {@code no live upstreams}: every server of the upstream is marked failed. */
    NO_LIVE(502),
    /** {@code (11: Resource temporarily unavailable)} on connect: a unix socket's accept queue is full. */
    AGAIN(502),
    /** {@code (99: Cannot assign requested address)}: no local port left. */
    ADDR_NOT_AVAIL(502),
    /** {@code (24: Too many open files)}. */
    TOO_MANY_FILES(500),
    /** {@code (28: No space left on device)}. */
    NO_SPACE(500),
    /** {@code worker_connections are not enough}. */
    WORKER_CONNECTIONS(500),
    /** Another error about an upstream. */
    OTHER_UPSTREAM(502),
    /** Not about upstreams (missing static files, client errors…). */
    UNRELATED(0);

    private final int status;

    ErrorKind(int status) {
        this.status = status;
    }

    /** The status nginx answers the client with for this error (0 when there is none). */
    public int status() {
        return status;
    }

    public boolean aboutUpstream() {
        return this != UNRELATED && this != HOST_NOT_FOUND;
    }

    static ErrorKind of(String message, int errno) {
        String m = message;
        if (m.contains("worker_connections are not enough")) {
            return WORKER_CONNECTIONS;
        }
        if (errno == 24) {
            return TOO_MANY_FILES;
        }
        if (errno == 28) {
            return NO_SPACE;
        }
        if (m.contains("no live upstreams")) {
            return NO_LIVE;
        }
        if (m.contains("no resolver defined to resolve")) {
            return NO_RESOLVER;
        }
        if (m.contains("could not be resolved")) {
            return NOT_RESOLVED;
        }
        if (m.contains("host not found in upstream")) {
            return HOST_NOT_FOUND;
        }
        if (m.contains("upstream SSL certificate verify error") || m.contains("upstream SSL certificate does not match")) {
            return SSL_VERIFY;
        }
        if (m.contains("upstream sent too big header")) {
            return TOO_BIG_HEADER;
        }
        if (m.contains("upstream sent no valid HTTP/1.0 header")) {
            return NO_VALID_HTTP;
        }
        if (m.contains("FastCGI protocol version") || m.contains("invalid FastCGI record type")) {
            return FASTCGI_PROTOCOL;
        }
        if (m.contains("upstream sent invalid header") || m.contains("upstream sent duplicate header line")
                || m.contains("\"Content-Length\" and \"Transfer-Encoding\"") || m.contains("upstream sent invalid status")
                || m.contains("upstream sent invalid chunked response")
                || m.contains("upstream sent duplicate \"Content-Length\"")) {
            return INVALID_HEADER;
        }
        if (m.contains("upstream timed out") || (errno == 110 && m.contains("upstream"))) {
            if (m.contains("while connecting to upstream")) {
                return CONNECT_TIMEOUT;
            }
            if (m.contains("while sending request to upstream")) {
                return SEND_TIMEOUT;
            }
            return READ_TIMEOUT;
        }
        if (m.contains("SSL_do_handshake() failed") || m.contains("peer closed connection in SSL handshake")
                || m.contains("while SSL handshaking to upstream")) {
            return SSL_HANDSHAKE;
        }
        if (m.contains("upstream prematurely closed")) {
            return PREMATURE_CLOSE;
        }
        boolean connect = m.contains("connect()");
        if (connect) {
            switch (errno) {
                case 111:
                    return REFUSED;
                case 2:
                    return m.contains("connect() to unix:") ? NO_SOCKET_FILE : OTHER_UPSTREAM;
                case 13:
                    return PERMISSION;
                case 113, 101:
                    return UNREACHABLE;
                case 11:
                    return AGAIN;
                case 99:
                    return ADDR_NOT_AVAIL;
                default:
                    break;
            }
        }
        if ((errno == 104 || errno == 32) && m.contains("upstream")) {
            return RESET;
        }
        if (errno == 113 || errno == 101) {
            return UNREACHABLE;
        }
        if (m.contains("upstream")) {
            return OTHER_UPSTREAM;
        }
        return UNRELATED;
    }
}
