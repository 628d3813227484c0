package dev.chatops.checks.nginx502.explain;

import dev.chatops.core.spi.PastedText;
import dev.chatops.nginx.log.AccessLogLine;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An access-log line written as JSON ({@code log_format json escape=json '{"time":"$time_iso8601",
 * "status":"$status",…}'}): the keys are whatever the format names, so the usual names of nginx's variables
 * are looked for, with and without a prefix such as {@code http_} or a shortening such as {@code ua}.
 */
final class JsonAccess {

    private static final DateTimeFormatter TIME_LOCAL = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z",
            Locale.ENGLISH);

    private JsonAccess() {
    }

    static Optional<Reading> read(PastedText.Line line, Map<String, String> v) {
        Optional<String> status = first(v, "status", "response_status", "http_status");
        if (status.isEmpty() || !status.get().matches("\\d{3}")) {
            return Optional.empty();
        }
        Optional<String> request = first(v, "request")
                .or(() -> first(v, "request_method", "method").flatMap(m -> first(v, "request_uri", "uri", "path")
                        .map(u -> m + " " + u)));
        if (request.isEmpty()) {
            return Optional.empty();
        }
        Optional<Instant> time = first(v, "time_iso8601", "time", "@timestamp", "timestamp").flatMap(JsonAccess::iso)
                .or(() -> first(v, "time_local").flatMap(JsonAccess::local));
        AccessLogLine a = new AccessLogLine(time, Integer.parseInt(status.get()), request,
                first(v, "host", "http_host"), first(v, "server_name"), first(v, "upstream_addr", "upstream", "ua"),
                first(v, "upstream_status", "us"), line.text());
        Optional<Double> upstreamTime = first(v, "upstream_response_time", "urt").flatMap(LineReader::seconds)
                .or(() -> first(v, "request_time", "rt").flatMap(LineReader::seconds));
        return Optional.of(new Reading.Access(line, a, upstreamTime));
    }

    private static Optional<String> first(Map<String, String> v, String... names) {
        return List.of(names).stream().map(v::get).filter(s -> s != null && !s.isEmpty() && !s.equals("-"))
                .findFirst();
    }

    private static Optional<Instant> iso(String s) {
        try {
            return Optional.of(OffsetDateTime.parse(s).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> local(String s) {
        try {
            return Optional.of(ZonedDateTime.parse(s, TIME_LOCAL).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
