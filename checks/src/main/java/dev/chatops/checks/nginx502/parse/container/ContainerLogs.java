package dev.chatops.checks.nginx502.parse.container;

import dev.chatops.checks.nginx502.parse.json.JsonEscapes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a container's nginx wrote to its stdout and stderr, out of the log its runtime keeps: the official
 * image links {@code access.log} to {@code /dev/stdout} and {@code error.log} to {@code /dev/stderr}, so
 * stdout holds access-log lines and stderr error-log lines. Two formats:
 * <ul>
 *   <li>Docker's json-file driver, one JSON object a line:
 *   {@code {"log":"…\n","stream":"stderr","time":"2026-11-30T10:00:00.123456789Z"}}
 *   (https://docs.docker.com/engine/logging/drivers/json-file/);</li>
 *   <li>the CRI format of the kubelet's {@code /var/log/pods}: {@code <RFC3339Nano> <stdout|stderr> <F|P> <text>},
 *   {@code P} a partial line the next record continues.</li>
 * </ul>
 * The container writes the text of these lines, so they are read strictly: a line that is not exactly one
 * of these shapes is skipped, strings are decoded only with JSON's own escapes, and every line is bounded.
 */
public final class ContainerLogs {

    /** The longest record kept: nginx's own lines are far shorter (its error lines stop near 2 KiB). */
    static final int MAX_LINE = 16 * 1024;

    /** Access-log lines (stdout) and error-log lines (stderr), in order. */
    public record Streams(List<String> stdout, List<String> stderr) {

        public Streams {
            stdout = List.copyOf(stdout);
            stderr = List.copyOf(stderr);
        }
    }

    private static final Pattern CRI = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,9})?(?:Z|[+-]\\d\\d:\\d\\d) (stdout|stderr) ([FP]) (.*)");

    private ContainerLogs() {
    }

    /** Docker json-file text: one object a line with exactly the keys log, stream and time. */
    public static Streams jsonFile(String raw) {
        List<String> out = new ArrayList<>();
        List<String> err = new ArrayList<>();
        StringBuilder partOut = new StringBuilder();
        StringBuilder partErr = new StringBuilder();
        for (String line : raw.split("\n")) {
            if (line.length() > 4 * MAX_LINE + 256) {
                continue;
            }
            Optional<Entry> e = entry(line);
            if (e.isEmpty()) {
                continue;
            }
            boolean stdout = e.get().stream().equals("stdout");
            // the driver splits a long line into 16 KiB entries; only the last ends with \n
            append(e.get().log(), stdout ? partOut : partErr, stdout ? out : err);
        }
        return new Streams(out, err);
    }

    /** CRI text: {@code <time> <stream> <F|P> <text>} lines; {@code P} parts join the next record. */
    public static Streams cri(String raw) {
        List<String> out = new ArrayList<>();
        List<String> err = new ArrayList<>();
        StringBuilder partOut = new StringBuilder();
        StringBuilder partErr = new StringBuilder();
        for (String line : raw.split("\n")) {
            if (line.length() > MAX_LINE + 64) {
                continue;
            }
            Matcher m = CRI.matcher(line);
            if (!m.matches()) {
                continue;
            }
            boolean stdout = m.group(1).equals("stdout");
            String text = m.group(3) + (m.group(2).equals("F") ? "\n" : "");
            append(text, stdout ? partOut : partErr, stdout ? out : err);
        }
        return new Streams(out, err);
    }

    private static void append(String text, StringBuilder part, List<String> lines) {
        if (part.length() + text.length() > MAX_LINE) {
            // a record longer than any nginx line: not nginx's, dropped whole
            part.setLength(0);
            return;
        }
        part.append(text);
        if (text.endsWith("\n")) {
            String l = part.substring(0, part.length() - 1);
            part.setLength(0);
            if (l.indexOf('\n') < 0) {
                lines.add(l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
            }
        }
    }

    record Entry(String log, String stream) {
    }

    /**
     * One json-file line: an object of string values, with {@code log} and {@code stream} (stdout or stderr)
     * and nothing but {@code time} (and {@code attrs}-free) besides; anything else is not an entry.
     */
    static Optional<Entry> entry(String line) {
        Cursor c = new Cursor(line.strip());
        if (!c.eat('{')) {
            return Optional.empty();
        }
        String log = null;
        String stream = null;
        boolean first = true;
        while (true) {
            if (c.eat('}')) {
                break;
            }
            if (!first && !c.eat(',')) {
                return Optional.empty();
            }
            first = false;
            Optional<String> key = c.string();
            if (key.isEmpty() || !c.eat(':')) {
                return Optional.empty();
            }
            Optional<String> value = c.string();
            if (value.isEmpty()) {
                return Optional.empty();
            }
            switch (key.get()) {
                case "log" -> log = log == null ? value.get() : null;
                case "stream" -> stream = stream == null ? value.get() : null;
                case "time" -> {
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
        if (!c.atEnd() || log == null || stream == null || !(stream.equals("stdout") || stream.equals("stderr"))) {
            return Optional.empty();
        }
        return Optional.of(new Entry(log, stream));
    }

    /** A strict reader of JSON strings: JSON's escapes only, no raw control characters, bounded. */
    private static final class Cursor {
        private final String s;
        private int i;

        Cursor(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return i == s.length();
        }

        boolean eat(char ch) {
            if (i < s.length() && s.charAt(i) == ch) {
                i++;
                return true;
            }
            return false;
        }

        Optional<String> string() {
            if (!eat('"')) {
                return Optional.empty();
            }
            StringBuilder sb = new StringBuilder();
            while (i < s.length()) {
                char ch = s.charAt(i++);
                if (ch == '"') {
                    return Optional.of(sb.toString());
                }
                if (ch < 0x20 || sb.length() > MAX_LINE) {
                    return Optional.empty();
                }
                if (ch != '\\') {
                    sb.append(ch);
                    continue;
                }
                Optional<JsonEscapes.Decoded> esc = JsonEscapes.decode(s, i);
                if (esc.isEmpty()) {
                    return Optional.empty();
                }
                sb.append(esc.get().value());
                i = esc.get().next();
            }
            return Optional.empty();
        }
    }
}
