package dev.chatops.nginx.log;

import static java.util.Objects.requireNonNull;

import dev.chatops.nginx.config.Endpoint;
import dev.chatops.nginx.config.NginxConfig;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One line of nginx's error log, e.g. {@code 2026/11/21 10:08:39 [error] 812#812: *25 connect() failed
 * (111: Connection refused) while connecting to upstream, client: …, server: shop.example.com, request:
 * "GET /cart HTTP/1.1", upstream: "http://127.0.0.1:3000/cart", host: "shop.example.com"}. The time is
 * the host's local wall-clock time, as nginx writes it.
 *
 * <p>Clients write into these lines (the request line, Host, Referer, and the decoded name of a missing
 * file), so a line is read by nginx's own grammar and nothing else: the fields nginx appends to a request's
 * message ({@code , client: , server: , request: "…", subrequest: "…", upstream: "…", host: "…", referrer:
 * "…"}) must each appear at most once and in that order, the quoted ones closed where the next begins, or
 * the line is noise. A line that repeats a field name could have been written by a client and cannot be
 * read unambiguously, so it is not evidence. Matching is by index scans: linear in the line, no regex.
 */
public record ErrorLogLine(LocalDateTime time, String level, String message, OptionalInt errno,
                           Optional<String> client, Optional<String> server, Optional<String> request,
                           Optional<String> upstream, Optional<String> host, String raw) {

    /** Longer lines are not read: nginx's message stops at 2 KiB, the request line and headers at their buffers. */
    static final int MAX_LINE = 256 * 1024;

    private static final String[] FIELDS = {", client: ", ", server: ", ", request: \"", ", subrequest: \"",
        ", upstream: \"", ", host: \"", ", referrer: \""};
    private static final int CLIENT = 0;
    private static final int SERVER = 1;
    private static final int REQUEST = 2;
    private static final int UPSTREAM = 4;
    private static final int HOST = 5;

    public ErrorLogLine {
        requireNonNull(time, "time is null");
        requireNonNull(level, "level is null");
        requireNonNull(message, "message is null");
        requireNonNull(errno, "errno is null");
        requireNonNull(client, "client is null");
        requireNonNull(server, "server is null");
        requireNonNull(request, "request is null");
        requireNonNull(upstream, "upstream is null");
        requireNonNull(host, "host is null");
        requireNonNull(raw, "raw is null");
    }

    /** The fixed start of a line: time, level, pid#tid and, for a request's line, the connection number. */
    record Head(LocalDateTime time, String level, boolean inRequest, int restAt) {
    }

    static Optional<Head> head(String line) {
        // yyyy/MM/dd HH:mm:ss [level] PID#TID: [*N ]
        if (line.length() < 25 || line.length() > MAX_LINE) {
            return Optional.empty();
        }
        String digits = "0000/00/00 00:00:00";
        for (int i = 0; i < digits.length(); i++) {
            char want = digits.charAt(i);
            char c = line.charAt(i);
            if (want == '0' ? c < '0' || c > '9' : c != want) {
                return Optional.empty();
            }
        }
        LocalDateTime time;
        try {
            time = LocalDateTime.of(num(line, 0, 4), num(line, 5, 7), num(line, 8, 10), num(line, 11, 13),
                    num(line, 14, 16), num(line, 17, 19));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
        if (line.charAt(19) != ' ' || line.charAt(20) != '[') {
            return Optional.empty();
        }
        int close = line.indexOf(']', 21);
        if (close < 22 || close > 29) {
            return Optional.empty();
        }
        String level = line.substring(21, close);
        for (int i = 0; i < level.length(); i++) {
            if (level.charAt(i) < 'a' || level.charAt(i) > 'z') {
                return Optional.empty();
            }
        }
        int at = close + 1;
        if (at >= line.length() || line.charAt(at) != ' ') {
            return Optional.empty();
        }
        at = digitsEnd(line, at + 1);
        if (at < 0 || at >= line.length() || line.charAt(at) != '#') {
            return Optional.empty();
        }
        at = digitsEnd(line, at + 1);
        if (at < 0 || !line.startsWith(": ", at)) {
            return Optional.empty();
        }
        at += 2;
        boolean inRequest = false;
        if (at < line.length() && line.charAt(at) == '*') {
            int end = digitsEnd(line, at + 1);
            if (end < 0 || end >= line.length() || line.charAt(end) != ' ') {
                return Optional.empty();
            }
            inRequest = true;
            at = end + 1;
        }
        return Optional.of(new Head(time, level, inRequest, at));
    }

    private static int num(String s, int from, int to) {
        return Integer.parseInt(s.substring(from, to));
    }

    /** The index after a run of 1 to 10 digits starting at {@code from}; -1 when there is none. */
    private static int digitsEnd(String s, int from) {
        int i = from;
        while (i < s.length() && i - from < 10 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i == from ? -1 : i;
    }

    public static Optional<ErrorLogLine> parse(String line) {
        Optional<Head> h = head(line);
        if (h.isEmpty()) {
            return Optional.empty();
        }
        String rest = line.substring(h.get().restAt());
        if (!h.get().inRequest()) {
            // a process-level message (start-up, accept()): nginx appends no request fields to it
            return Optional.of(new ErrorLogLine(h.get().time(), h.get().level(), rest, errnoOf(rest), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), line));
        }
        int[] at = new int[FIELDS.length];
        int last = -1;
        for (int i = 0; i < FIELDS.length; i++) {
            at[i] = rest.indexOf(FIELDS[i]);
            if (at[i] >= 0 && rest.lastIndexOf(FIELDS[i]) != at[i]) {
                return Optional.empty();
            }
            if (at[i] >= 0) {
                if (at[i] <= last) {
                    return Optional.empty();
                }
                last = at[i];
            }
        }
        if (at[CLIENT] < 0) {
            return Optional.empty();
        }
        String[] values = new String[FIELDS.length];
        for (int i = 0; i < FIELDS.length; i++) {
            if (at[i] < 0) {
                continue;
            }
            int from = at[i] + FIELDS[i].length();
            int to = rest.length();
            for (int j = i + 1; j < FIELDS.length; j++) {
                if (at[j] >= 0) {
                    to = at[j];
                    break;
                }
            }
            if (to < from) {
                return Optional.empty();
            }
            boolean quoted = FIELDS[i].endsWith("\"");
            if (quoted) {
                if (to == from || rest.charAt(to - 1) != '"') {
                    return Optional.empty();
                }
                to--;
            }
            values[i] = rest.substring(from, to);
        }
        String client = values[CLIENT];
        if (client.isEmpty() || client.length() > 64 || client.chars().anyMatch(c -> c <= ' ' || c == '"' || c == ',')) {
            return Optional.empty();
        }
        String message = rest.substring(0, at[CLIENT]);
        return Optional.of(new ErrorLogLine(h.get().time(), h.get().level(), message, errnoOf(core(message)),
                Optional.of(client), Optional.ofNullable(values[SERVER]), Optional.ofNullable(values[REQUEST]),
                Optional.ofNullable(values[UPSTREAM]), Optional.ofNullable(values[HOST]), line));
    }

    /**
     * Whether a line starts a request's message that the line does not finish: nginx wrote a newline a client
     * put in a decoded file name, and what follows up to the line that carries the request fields is that
     * client's text, not nginx's.
     */
    static boolean opensRecord(String line) {
        Optional<Head> h = head(line);
        return h.isPresent() && h.get().inRequest() && line.indexOf(FIELDS[CLIENT], h.get().restAt()) < 0
                && !ErrorKind.quiet(h.get().level());
    }

    /** Whether a line ends a request's message (it carries the fields nginx appends). */
    static boolean closesRecord(String line) {
        return line.contains(FIELDS[CLIENT]);
    }

    /** {@code 111} of a message whose core ends with {@code (111: Connection refused)}. */
    private static OptionalInt errnoOf(String core) {
        if (!core.endsWith(")")) {
            return OptionalInt.empty();
        }
        int open = core.lastIndexOf('(');
        if (open < 0) {
            return OptionalInt.empty();
        }
        int end = digitsEnd(core, open + 1);
        if (end < 0 || end - open - 1 > 4 || !core.startsWith(": ", end) || core.indexOf(')', end) != core.length() - 1) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(core.substring(open + 1, end)));
    }

    /** The message without nginx's {@code while ACTION} suffix (when the action is one nginx writes). */
    static String core(String message) {
        int w = message.lastIndexOf(" while ");
        return w >= 0 && ErrorKind.knownAction(message.substring(w + 7)) ? message.substring(0, w) : message;
    }

    public ErrorKind kind() {
        return ErrorKind.of(core(message), phase(), errno.orElse(0), client.isPresent());
    }

    /** The part of a request's life nginx was in: {@code connecting to upstream}, {@code reading response header…}. */
    public String phase() {
        int w = message.lastIndexOf(" while ");
        String action = w >= 0 ? message.substring(w + 7) : "";
        return ErrorKind.knownAction(action) ? action : "";
    }

    private record Url(String scheme, String authority) {
    }

    private Optional<Url> url() {
        if (upstream.isEmpty()) {
            return Optional.empty();
        }
        String u = upstream.get();
        int sep = u.indexOf("://");
        if (sep < 1 || sep > 10) {
            return Optional.empty();
        }
        String scheme = u.substring(0, sep);
        if (!scheme.chars().allMatch(c -> c >= 'a' && c <= 'z')) {
            return Optional.empty();
        }
        String rest = u.substring(sep + 3);
        int end;
        if (rest.startsWith("unix:")) {
            end = rest.indexOf(':', 5);
            end = end < 0 ? rest.length() : end;
        } else {
            end = rest.indexOf('/');
            end = end < 0 ? rest.length() : end;
        }
        return Optional.of(new Url(scheme, rest.substring(0, end)));
    }

    /** The scheme of the {@code upstream:} field: {@code http}, {@code https}, {@code fastcgi}… */
    public Optional<String> upstreamScheme() {
        return url().map(Url::scheme);
    }

    /** The address in the {@code upstream:} field, e.g. {@code 127.0.0.1:3000} or {@code unix:/run/php/php8.2-fpm.sock}. */
    public Optional<Endpoint> upstreamEndpoint() {
        return url().flatMap(u -> Endpoint.parse(u.authority(), u.scheme().equals("https") ? 443 : 80));
    }

    /** For lines without an {@code upstream:} field: the address named in the message ({@code connect() to X failed}). */
    public Optional<Endpoint> messageEndpoint() {
        String core = core(message);
        if (client.isEmpty() || !core.startsWith("connect() to ")) {
            return Optional.empty();
        }
        int end = core.indexOf(" failed (", 13);
        return end < 0 ? Optional.empty() : Endpoint.parse(core.substring(13, end), 80);
    }

    /** The request path, without the query string. */
    public Optional<String> uri() {
        return request.map(NginxConfig::uriOf);
    }
}
