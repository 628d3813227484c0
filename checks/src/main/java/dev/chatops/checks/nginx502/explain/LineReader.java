package dev.chatops.checks.nginx502.explain;

import dev.chatops.checks.nginx502.evidence.SyslogLines;
import dev.chatops.checks.nginx502.parse.host.KernelEvents;
import dev.chatops.checks.nginx502.parse.phpfpm.PhpFpm;
import dev.chatops.core.spi.PastedText;
import dev.chatops.nginx.log.AccessLogFormat;
import dev.chatops.nginx.log.AccessLogLine;
import dev.chatops.nginx.log.ErrorLogLine;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides what a pasted line is, trying the strict readers in an order where a client's text cannot make
 * one kind look like another: nginx's error log first (its grammar rejects a line a client could have
 * shaped), then an access log (whose request field holds whatever a client sent, so nothing after it
 * decides the kind), then php-fpm's log and the kernel's, which must begin as those logs begin.
 */
final class LineReader {

    /** {@code key=value} fields after the request: {@code upstream_status=502}, {@code urt="60.001"}, {@code ua=…}. */
    private static final Pattern UPSTREAM_FIELD = Pattern.compile("(?<![A-Za-z0-9_])(upstream_addr|upstream_status|"
            + "upstream_response_time|request_time|upstream|ua|us|urt|rt)=(\"[^\"]{0,512}+\"|[^\\s\"]{1,512}+)");
    private static final Pattern DMESG = Pattern.compile("^\\[[ 0-9.]{1,20}] |^\\[[A-Z][a-z]{2} [A-Za-z0-9: ]{10,30}] ");
    private static final Pattern KERNEL_TAG = Pattern.compile("^\\S{1,40}(?: \\S{1,40}){1,3} kernel: ");
    private static final Pattern PHP_FPM_TAG = Pattern.compile(
            "^(?:\\S{1,40}(?: \\S{1,40}){1,3} )?php-fpm[0-9.]{0,8}(?:\\[\\d{1,10}])?: (.*)$");
    private static final Pattern PHP_FPM_BARE = Pattern.compile("^\\[(DEBUG|NOTICE|WARNING|ERROR|ALERT)] (.*)$");
    private static final List<String> KERNEL_STARTS = List.of("Out of memory", "Memory cgroup out of memory",
            "oom-kill:", "audit:", "audit(", "type=AVC", "type=1400", "type=1107");

    private LineReader() {
    }

    static Reading read(PastedText.Line line) {
        return read(line, line.text(), true);
    }

    private static Reading read(PastedText.Line line, String text, boolean outer) {
        String t = text.strip();
        Optional<ErrorLogLine> error = ErrorLogLine.parse(t)
                .or(() -> SyslogLines.messages(t, "nginx").stream().findFirst().flatMap(ErrorLogLine::parse));
        if (error.isPresent()) {
            return new Reading.NginxError(line, error.get());
        }
        if (outer && t.startsWith("{") && t.endsWith("}")) {
            Optional<Map<String, String>> json = FlatJson.parse(t);
            if (json.isPresent()) {
                // a container's log line (docker's json-file) or a journal entry: the line is inside
                Optional<String> inner = Optional.ofNullable(json.get().get("log"))
                        .or(() -> Optional.ofNullable(json.get().get("MESSAGE")));
                if (inner.isPresent()) {
                    Reading r = read(line, inner.get(), false);
                    if (!(r instanceof Reading.Unmatched)) {
                        return r;
                    }
                }
                Optional<Reading> access = JsonAccess.read(line, json.get());
                if (access.isPresent()) {
                    return access.get();
                }
            }
        }
        Optional<Reading> access = access(line, t);
        if (access.isPresent()) {
            return access.get();
        }
        Optional<Reading> fpm = phpFpm(line, t);
        if (fpm.isPresent()) {
            return fpm.get();
        }
        return kernel(line, t).orElse(new Reading.Unmatched(line));
    }

    private static Optional<Reading> access(PastedText.Line line, String t) {
        if (!t.contains("\" ")) {
            return Optional.empty();
        }
        // combined, and nginx.org's main (combined plus "$http_x_forwarded_for"), which reads as combined
        Optional<AccessLogLine> a = AccessLogLine.parse(t, AccessLogFormat.combined());
        return a.filter(x -> x.request().isPresent()).map(x -> withUpstreamFields(line, x, t));
    }

    /** Adds the upstream fields a format appends as {@code key=value} after the standard ones. */
    private static Reading withUpstreamFields(PastedText.Line line, AccessLogLine a, String t) {
        int after = t.indexOf(String.format("\" %03d ", a.status()));
        Matcher m = UPSTREAM_FIELD.matcher(after < 0 ? "" : t.substring(after));
        Optional<String> addr = a.upstreamAddr();
        Optional<String> status = a.upstreamStatus();
        Optional<Double> time = Optional.empty();
        Optional<Double> requestTime = Optional.empty();
        while (m.find()) {
            String v = m.group(2).startsWith("\"") ? m.group(2).substring(1, m.group(2).length() - 1) : m.group(2);
            if (v.isEmpty() || v.equals("-")) {
                continue;
            }
            switch (m.group(1)) {
                case "upstream_addr", "upstream", "ua" -> addr = addr.or(() -> Optional.of(v));
                case "upstream_status", "us" -> status = status.or(() -> Optional.of(v));
                case "upstream_response_time", "urt" -> time = time.or(() -> seconds(v));
                default -> requestTime = requestTime.or(() -> seconds(v));
            }
        }
        AccessLogLine full = new AccessLogLine(a.time(), a.status(), a.request(), a.host(), a.serverName(), addr, status,
                a.raw());
        return new Reading.Access(line, full, time.isPresent() ? time : requestTime);
    }

    /** The last of nginx's comma- or colon-separated times ({@code "0.001, 60.002"}), in seconds. */
    static Optional<Double> seconds(String v) {
        String last = v;
        for (int i = v.length() - 1; i >= 0; i--) {
            if (v.charAt(i) == ',' || v.charAt(i) == ':') {
                last = v.substring(i + 1);
                break;
            }
        }
        last = last.strip();
        if (last.isEmpty() || last.length() > 12 || !last.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
            return Optional.empty();
        }
        try {
            return Optional.of(Double.parseDouble(last));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Reading> phpFpm(PastedText.Line line, String t) {
        String rest = t;
        Matcher tagged = PHP_FPM_TAG.matcher(t);
        if (tagged.matches()) {
            rest = tagged.group(1);
        } else if (!t.startsWith("[")) {
            return Optional.empty();
        }
        List<PhpFpm.LogLine> logged = PhpFpm.logLines(List.of(rest));
        if (!logged.isEmpty()) {
            return Optional.of(new Reading.PhpFpmLog(line, logged.get(0).level(), logged.get(0).message()));
        }
        // php-fpm writing to stderr under systemd leaves the time to the journal: "[WARNING] [pool www] …"
        Matcher bare = PHP_FPM_BARE.matcher(rest);
        if (tagged.matches() && bare.matches()) {
            return Optional.of(new Reading.PhpFpmLog(line, bare.group(1), bare.group(2)));
        }
        return Optional.empty();
    }

    private static Optional<Reading> kernel(PastedText.Line line, String t) {
        String rest = t;
        Matcher d = DMESG.matcher(t);
        Matcher k = KERNEL_TAG.matcher(t);
        if (d.find()) {
            rest = t.substring(d.end());
        } else if (k.find()) {
            rest = t.substring(k.end());
        }
        String body = rest.stripLeading();
        if (KERNEL_STARTS.stream().noneMatch(body::startsWith)) {
            return Optional.empty();
        }
        KernelEvents events;
        try {
            events = KernelEvents.parse(body, true, "", "", Optional.empty());
        } catch (NumberFormatException e) {
            return Optional.empty(); // a pid too long to be one
        }
        if (events.oomKills().isEmpty() && events.apparmor().isEmpty() && events.avc().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Reading.Kernel(line, events));
    }
}
