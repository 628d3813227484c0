package dev.chatops.nginx.log;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The time window a diagnosis looks at, judged by the host's clock: which log lines are "now" and which
 * are a past incident. Also cuts a raw log tail (read as root by a follow-up probe) the way the host
 * script would have.
 */
public record LogWindow(Instant now, ZoneOffset offset, Duration length) {

    private static final Pattern CANDIDATE_5XX = Pattern.compile("(^|[^0-9.])(5[0-9][0-9]|009)([^0-9.]|$)");
    private static final Pattern QUIET_LEVEL = Pattern.compile("^.{20}\\[(debug|info|notice)]");

    public Instant start() {
        return now.minus(length);
    }

    public boolean contains(Instant t) {
        return !t.isBefore(start()) && !t.isAfter(now.plusSeconds(120));
    }

    public Instant instantOf(java.time.LocalDateTime local) {
        return local.toInstant(offset);
    }

    /** The error-log lines of an excerpt that fall in the window, parsed. */
    public List<ErrorLogLine> errors(LogExcerpt excerpt) {
        List<ErrorLogLine> out = new ArrayList<>();
        for (String l : records(excerpt.lines())) {
            ErrorLogLine.parse(l).filter(e -> contains(instantOf(e.time()))).ifPresent(out::add);
        }
        return out;
    }

    /** Error-log lines older than the window (the host sent a sample of them). */
    public List<ErrorLogLine> olderErrors(LogExcerpt excerpt) {
        List<ErrorLogLine> out = new ArrayList<>();
        for (String l : records(excerpt.older())) {
            ErrorLogLine.parse(l).filter(e -> !contains(instantOf(e.time()))).ifPresent(out::add);
        }
        return out;
    }

    /** The access-log lines of an excerpt (5xx candidates) in the window, parsed with the format. */
    public List<AccessLogLine> requests(List<String> lines, AccessLogFormat format) {
        List<AccessLogLine> out = new ArrayList<>();
        for (String l : lines) {
            AccessLogLine.parse(l, format).filter(a -> a.time().map(this::contains).orElse(true)).ifPresent(out::add);
        }
        return out;
    }

    /** A raw tail of a log, cut like the host script cuts it. */
    public LogExcerpt cut(LogExcerpt.Kind kind, String path, String raw, boolean truncated) {
        List<String> lines = new ArrayList<>();
        List<String> recent = new ArrayList<>();
        List<String> older = new ArrayList<>();
        long total = 0;
        long olderCount = 0;
        String[] all = raw.split("\n");
        // the first line of a byte-cut tail is usually a partial line
        int from = truncated && all.length > 1 ? 1 : 0;
        List<String> physical = java.util.Arrays.asList(all).subList(from, all.length);
        if (kind == LogExcerpt.Kind.ERROR) {
            physical = records(physical);
        }
        for (String l : physical) {
            if (l.isBlank()) {
                continue;
            }
            if (kind == LogExcerpt.Kind.ERROR) {
                Optional<ErrorLogLine> e = ErrorLogLine.parse(l);
                if (e.isEmpty()) {
                    continue;
                }
                if (!contains(instantOf(e.get().time()))) {
                    if (e.get().kind().aboutUpstream() || l.contains("[emerg]") || l.contains("[alert]")) {
                        olderCount++;
                        sampleOlder(older, l);
                    }
                    continue;
                }
                if (QUIET_LEVEL.matcher(l).find()) {
                    continue;
                }
                total++;
                lines.add(l);
            } else {
                Optional<AccessLogLine> a = AccessLogLine.parse(l, AccessLogFormat.combined());
                boolean inWindow = a.flatMap(AccessLogLine::time).map(this::contains).orElse(true);
                boolean bad = l.length() <= AccessLogLine.MAX_LINE && CANDIDATE_5XX.matcher(l).find();
                if (!inWindow) {
                    if (bad) {
                        olderCount++;
                        sampleOlder(older, l);
                    }
                    continue;
                }
                total++;
                recent.add(l);
                if (recent.size() > 20) {
                    recent.remove(0);
                }
                if (bad) {
                    lines.add(l);
                }
            }
        }
        return new LogExcerpt(kind, path, LogExcerpt.State.READ, raw.length(), tail(lines, 1500), recent, total,
                olderCount, older, truncated);
    }

    /** A sample of the lines older than the window, bounded: the first three and the latest. */
    private static void sampleOlder(List<String> older, String line) {
        if (older.size() < 4) {
            older.add(line);
        } else {
            older.set(3, line);
        }
    }

    /** Lines a client wrote into a message that nginx broke over several lines, at most this many. */
    private static final int MAX_CONTINUATION = 64;

    /**
     * The error-log lines that nginx began: a request's message that a line does not finish (a client put a
     * newline in a file name nginx logs decoded) continues up to the line carrying the request's fields, and
     * every line in between, however much it looks like nginx's own, is that client's text and is dropped.
     */
    static List<String> records(List<String> lines) {
        List<String> out = new ArrayList<>(lines.size());
        int swallow = 0;
        for (String l : lines) {
            if (swallow > 0) {
                swallow = ErrorLogLine.closesRecord(l) ? 0 : swallow - 1;
                continue;
            }
            if (ErrorLogLine.opensRecord(l)) {
                swallow = MAX_CONTINUATION;
                continue;
            }
            out.add(l);
        }
        return out;
    }

    private static List<String> tail(List<String> l, int n) {
        return l.size() <= n ? l : l.subList(l.size() - n, l.size());
    }
}
