package dev.chatops.nginx.log;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One request from an access log: when, what status the client got, and where nginx sent it. */
public record AccessLogLine(Optional<Instant> time, int status, Optional<String> request, Optional<String> host,
                           Optional<String> serverName, Optional<String> upstreamAddr,
                           Optional<String> upstreamStatus, String raw) {

    /** Longer lines are not read: nginx's request line is bounded by its header buffers (8 KiB by default). */
    static final int MAX_LINE = 16 * 1024;
    private static final DateTimeFormatter TIME_LOCAL = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);
    private static final Pattern ANY_TIME_LOCAL = Pattern.compile("\\[(\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4})]");
    private static final Pattern STATUS_AFTER_REQUEST = Pattern.compile("\"[A-Z]+ [^\"]*\" (\\d{3}) ");

    public AccessLogLine {
        requireNonNull(time, "time is null");
        requireNonNull(request, "request is null");
        requireNonNull(host, "host is null");
        requireNonNull(serverName, "serverName is null");
        requireNonNull(upstreamAddr, "upstreamAddr is null");
        requireNonNull(upstreamStatus, "upstreamStatus is null");
        requireNonNull(raw, "raw is null");
    }

    /** Reads a line with its format, else as {@code combined}, else by the usual {@code "REQUEST" STATUS} shape. */
    public static Optional<AccessLogLine> parse(String line, AccessLogFormat format) {
        if (line.length() > MAX_LINE) {
            return Optional.empty();
        }
        for (AccessLogFormat f : List.of(format, AccessLogFormat.combined())) {
            Optional<Map<String, String>> fields = f.fields(line);
            if (fields.isPresent() && fields.get().containsKey("status")) {
                Map<String, String> v = fields.get();
                Optional<Instant> time = Optional.ofNullable(v.get("time_local")).flatMap(AccessLogLine::timeLocal)
                        .or(() -> Optional.ofNullable(v.get("time_iso8601")).flatMap(AccessLogLine::iso))
                        .or(() -> Optional.ofNullable(v.get("msec")).flatMap(AccessLogLine::msec));
                return Optional.of(new AccessLogLine(time, Integer.parseInt(v.get("status")),
                        value(v, "request"), value(v, "host").or(() -> value(v, "http_host")),
                        value(v, "server_name"), value(v, "upstream_addr"), value(v, "upstream_status"), line));
            }
        }
        Matcher s = STATUS_AFTER_REQUEST.matcher(line);
        if (s.find()) {
            Matcher t = ANY_TIME_LOCAL.matcher(line);
            Optional<Instant> time = t.find() ? timeLocal(t.group(1)) : Optional.empty();
            String req = line.substring(s.start() + 1, s.end() - 6);
            return Optional.of(new AccessLogLine(time, Integer.parseInt(s.group(1)), Optional.of(req), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), line));
        }
        return Optional.empty();
    }

    private static Optional<String> value(Map<String, String> v, String name) {
        return Optional.ofNullable(v.get(name)).filter(s -> !s.isEmpty() && !s.equals("-"));
    }

    static Optional<Instant> timeLocal(String s) {
        try {
            return Optional.of(ZonedDateTime.parse(s, TIME_LOCAL).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> iso(String s) {
        try {
            return Optional.of(OffsetDateTime.parse(s).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> msec(String s) {
        try {
            return Optional.of(Instant.ofEpochMilli(Math.round(Double.parseDouble(s) * 1000)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The address that answered last (nginx lists every attempt: {@code "10.0.0.1:80, 10.0.0.2:80"}). */
    public Optional<String> lastUpstream() {
        // after the last ", " or " : " separator; a scan, not a regex, since the field may be long
        return upstreamAddr.map(a -> {
            for (int i = a.length() - 2; i >= 0; i--) {
                char c = a.charAt(i);
                if ((c == ',' || c == ':') && Character.isWhitespace(a.charAt(i + 1))) {
                    return a.substring(i + 1).trim();
                }
            }
            return a.trim();
        });
    }
}
