package dev.chatops.checks.nginx502.log;

import static java.util.Objects.requireNonNull;

import dev.chatops.checks.nginx502.config.Endpoint;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of nginx's error log, e.g. {@code 2026/11/21 10:08:39 [error] 812#812: *25 connect() failed
 * (111: Connection refused) while connecting to upstream, client: …, server: shop.example.com, request:
 * "GET /cart HTTP/1.1", upstream: "http://127.0.0.1:3000/cart", host: "shop.example.com"}. The time is
 * the host's local wall-clock time, as nginx writes it.
 */
public record ErrorLogLine(LocalDateTime time, String level, String message, OptionalInt errno,
                           Optional<String> client, Optional<String> server, Optional<String> request,
                           Optional<String> upstream, Optional<String> host, String raw) {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");
    private static final Pattern HEAD = Pattern.compile(
            "^(\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2}) \\[(\\w+)] \\d+#\\d+: (?:\\*\\d+ )?(.*)$");
    private static final Pattern ERRNO = Pattern.compile("\\((\\d{1,4}): [^)]*\\)");
    private static final Pattern CLIENT = Pattern.compile(", client: ([^,]*)");
    private static final Pattern SERVER = Pattern.compile(", server: ([^,]*)");
    private static final Pattern REQUEST = Pattern.compile(", request: \"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern UPSTREAM = Pattern.compile(", upstream: \"([^\"]*)\"");
    private static final Pattern HOST = Pattern.compile(", host: \"([^\"]*)\"");
    private static final Pattern UPSTREAM_URL = Pattern.compile("^([a-z]+)://(unix:[^:]+:?|\\[[0-9A-Fa-f:.]+](?::\\d+)?|[^/:]+(?::\\d+)?)(.*)$");

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

    public static Optional<ErrorLogLine> parse(String line) {
        Matcher m = HEAD.matcher(line);
        if (!m.matches()) {
            return Optional.empty();
        }
        LocalDateTime time;
        try {
            time = LocalDateTime.parse(m.group(1), TIME);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        String rest = m.group(3);
        int fields = rest.indexOf(", client: ");
        String message = fields >= 0 ? rest.substring(0, fields) : rest;
        Matcher e = ERRNO.matcher(message);
        OptionalInt errno = e.find() ? OptionalInt.of(Integer.parseInt(e.group(1))) : OptionalInt.empty();
        String tail = fields >= 0 ? rest.substring(fields) : "";
        return Optional.of(new ErrorLogLine(time, m.group(2), message, errno, field(CLIENT, tail), field(SERVER, tail),
                field(REQUEST, tail), field(UPSTREAM, tail), field(HOST, tail), line));
    }

    private static Optional<String> field(Pattern p, String tail) {
        Matcher m = p.matcher(tail);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    public ErrorKind kind() {
        return ErrorKind.of(message, errno.orElse(0));
    }

    /** The part of a request's life nginx was in: {@code connecting to upstream}, {@code reading response header…}. */
    public String phase() {
        int w = message.lastIndexOf(" while ");
        return w >= 0 ? message.substring(w + 7) : "";
    }

    /** The scheme of the {@code upstream:} field: {@code http}, {@code https}, {@code fastcgi}… */
    public Optional<String> upstreamScheme() {
        return upstream.map(UPSTREAM_URL::matcher).filter(Matcher::matches).map(mm -> mm.group(1));
    }

    /** The address in the {@code upstream:} field, e.g. {@code 127.0.0.1:3000} or {@code unix:/run/php/php8.2-fpm.sock}. */
    public Optional<Endpoint> upstreamEndpoint() {
        Optional<Matcher> m = upstream.map(UPSTREAM_URL::matcher).filter(Matcher::matches);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        String scheme = m.get().group(1);
        return Endpoint.parse(m.get().group(2), scheme.equals("https") ? 443 : 80);
    }

    /** For lines without an {@code upstream:} field: the address named in the message ({@code connect() to X failed}). */
    public Optional<Endpoint> messageEndpoint() {
        Matcher m = Pattern.compile("connect\\(\\) to (unix:\\S+|\\S+:\\d+) failed").matcher(message);
        return m.find() ? Endpoint.parse(m.group(1), 80) : Optional.empty();
    }

    /** The request path, without the query string. */
    public Optional<String> uri() {
        return request.map(dev.chatops.checks.nginx502.config.NginxConfig::uriOf);
    }
}
