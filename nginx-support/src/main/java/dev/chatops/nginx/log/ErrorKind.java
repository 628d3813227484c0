package dev.chatops.nginx.log;

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

    /** What nginx writes after {@code while}: its fixed phrases for the step a request was in. */
    private static final java.util.Set<String> ACTIONS = java.util.Set.of("connecting to upstream",
            "sending request to upstream", "reading response header from upstream", "reading upstream",
            "SSL handshaking to upstream", "sending to client", "reading client request headers",
            "reading client request line", "reading client request body", "reading client pipelined request line",
            "waiting for request", "SSL handshaking", "closing request", "sending response to client",
            "reading client request", "reading PROXY protocol", "requesting certificate status",
            "sending to upstream", "reading from upstream", "proxying upgraded connection",
            "reading from client", "sending to client after upstream timed out");

    static boolean knownAction(String action) {
        return ACTIONS.contains(action);
    }

    static boolean quiet(String level) {
        return level.equals("debug") || level.equals("info") || level.equals("notice");
    }

    /**
     * The kind of a message by nginx's fixed phrases, which must start the message's core (the text before
     * {@code while ACTION}) and the errno that ends it: text a client put into a message (a file name, a
     * request line) never starts it, so it cannot make a line look like an upstream error.
     *
     * @param core      the message without its {@code while ACTION}
     * @param action    the action nginx named, or empty
     * @param inRequest whether the line carried a request's fields; upstream errors always do
     */
    static ErrorKind of(String core, String action, int errno, boolean inRequest) {
        String m = core;
        if (isWorkerConnections(m)) {
            return WORKER_CONNECTIONS;
        }
        if (errno == 24) {
            return TOO_MANY_FILES;
        }
        if (errno == 28) {
            return NO_SPACE;
        }
        if (m.startsWith("host not found in upstream ")) {
            return HOST_NOT_FOUND;
        }
        if (!inRequest || clientFirst(m)) {
            return UNRELATED;
        }
        boolean upstreamAction = action.endsWith("upstream");
        if (m.equals("no live upstreams")) {
            return NO_LIVE;
        }
        if (m.startsWith("no resolver defined to resolve ")) {
            return NO_RESOLVER;
        }
        int sp = m.indexOf(' ');
        if (sp > 0 && m.startsWith(" could not be resolved (", sp) && m.endsWith(")")) {
            return NOT_RESOLVED;
        }
        if (m.startsWith("upstream SSL certificate verify error") || m.startsWith("upstream SSL certificate does not match")) {
            return SSL_VERIFY;
        }
        if (m.startsWith("upstream sent ")) {
            String sent = m.substring(14);
            if (sent.startsWith("too big header")) {
                return TOO_BIG_HEADER;
            }
            if (sent.startsWith("no valid HTTP/1.0 header")) {
                return NO_VALID_HTTP;
            }
            if (sent.startsWith("unsupported FastCGI protocol version") || sent.startsWith("invalid FastCGI record type")) {
                return FASTCGI_PROTOCOL;
            }
            if (sent.startsWith("invalid header") || sent.startsWith("duplicate header line")
                    || sent.startsWith("\"Content-Length\" and \"Transfer-Encoding\"") || sent.startsWith("invalid status")
                    || sent.startsWith("invalid chunked response") || sent.startsWith("duplicate \"Content-Length\"")) {
                return INVALID_HEADER;
            }
        }
        if (m.startsWith("upstream timed out") || (errno == 110 && upstreamAction)) {
            if (action.equals("connecting to upstream")) {
                return CONNECT_TIMEOUT;
            }
            if (action.equals("sending request to upstream")) {
                return SEND_TIMEOUT;
            }
            return READ_TIMEOUT;
        }
        if (m.startsWith("SSL_do_handshake() failed") || m.startsWith("peer closed connection in SSL handshake")
                || action.equals("SSL handshaking to upstream")) {
            return SSL_HANDSHAKE;
        }
        if (m.startsWith("upstream prematurely closed")) {
            return PREMATURE_CLOSE;
        }
        if (m.startsWith("connect() ")) {
            switch (errno) {
                case 111:
                    return REFUSED;
                case 2:
                    return m.startsWith("connect() to unix:") ? NO_SOCKET_FILE : OTHER_UPSTREAM;
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
        if ((errno == 104 || errno == 32) && upstreamAction) {
            return RESET;
        }
        if ((errno == 113 || errno == 101) && upstreamAction) {
            return UNREACHABLE;
        }
        if (upstreamAction || m.startsWith("upstream ")) {
            return OTHER_UPSTREAM;
        }
        return UNRELATED;
    }

    /**
     * Messages that begin with a quoted value ({@code open() "/var/www/…" failed}, {@code "/x/index.html" is not
     * found}): whatever follows the quote may be a client's text, so such a message is never about an upstream.
     */
    private static boolean clientFirst(String m) {
        if (m.startsWith("\"")) {
            return true;
        }
        int paren = m.indexOf("() \"");
        return paren > 0 && paren <= 24 && m.substring(0, paren).chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_');
    }

    /** {@code 1024 worker_connections are not enough}. */
    private static boolean isWorkerConnections(String m) {
        int sp = m.indexOf(' ');
        return sp > 0 && sp <= 10 && m.substring(0, sp).chars().allMatch(Character::isDigit)
                && m.startsWith(" worker_connections are not enough", sp);
    }
}
