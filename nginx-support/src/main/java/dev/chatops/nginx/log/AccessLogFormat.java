package dev.chatops.nginx.log;

import static java.util.Objects.requireNonNull;

import dev.chatops.nginx.config.NginxConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code log_format} turned into a matcher for the lines it writes, so the status, time, host and
 * upstream fields can be read from any custom format, not only {@code combined}.
 *
 * <p>The lines are written by clients as much as by nginx (headers, the request line), so matching is one
 * left-to-right pass over the format's literal separators, never a backtracking regex: a variable ends at the
 * first place its separator follows where its value has the variable's shape (three digits for
 * {@code $status}, a fixed-width time…); the last variable ends where the format's literal tail ends the line.
 * A line that does not fit this way does not match. Each line costs time linear in its length.
 */
public final class AccessLogFormat {

    private static final AccessLogFormat COMBINED = compile(NginxConfig.COMBINED);
    /** Longer lines are not read (nginx's access lines are bounded by its 4 KiB log buffer plus headers). */
    private static final int MAX_LINE = 16 * 1024;

    private final String format;
    /** literals.get(i) precedes variables.get(i); the last literal follows the last variable. */
    private final List<String> literals;
    private final List<String> variables;

    private AccessLogFormat(String format, List<String> literals, List<String> variables) {
        this.format = format;
        this.literals = List.copyOf(literals);
        this.variables = List.copyOf(variables);
    }

    public static AccessLogFormat combined() {
        return COMBINED;
    }

    public static AccessLogFormat compile(String format) {
        requireNonNull(format, "format is null");
        List<String> literals = new ArrayList<>();
        List<String> vars = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            int nameFrom = -1;
            int nameTo = -1;
            int next = i + 1;
            if (c == '$' && i + 1 < format.length()) {
                if (format.charAt(i + 1) == '{') {
                    int close = format.indexOf('}', i + 2);
                    if (close > i + 2 && word(format, i + 2, close)) {
                        nameFrom = i + 2;
                        nameTo = close;
                        next = close + 1;
                    }
                } else {
                    int end = i + 1;
                    while (end < format.length() && wordChar(format.charAt(end))) {
                        end++;
                    }
                    if (end > i + 1) {
                        nameFrom = i + 1;
                        nameTo = end;
                        next = end;
                    }
                }
            }
            if (nameFrom < 0) {
                literal.append(c);
            } else {
                if (!vars.isEmpty() && literal.length() == 0) {
                    // two variables with nothing between cannot be told apart: keep the pair as one opaque value
                    vars.set(vars.size() - 1, vars.get(vars.size() - 1) + "+" + format.substring(nameFrom, nameTo));
                } else {
                    literals.add(literal.toString());
                    vars.add(format.substring(nameFrom, nameTo));
                }
                literal.setLength(0);
            }
            i = next;
        }
        literals.add(literal.toString());
        return new AccessLogFormat(format, literals, vars);
    }

    private static boolean wordChar(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean word(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!wordChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    public String format() {
        return format;
    }

    public boolean has(String variable) {
        return variables.contains(variable);
    }

    /** The fields of a line written in this format; empty when the line does not match it. */
    public Optional<Map<String, String>> fields(String line) {
        if (line.length() > MAX_LINE || !line.startsWith(literals.get(0))) {
            return Optional.empty();
        }
        String suffix = literals.get(literals.size() - 1);
        if (!line.endsWith(suffix) || line.length() < literals.get(0).length() + suffix.length()) {
            return Optional.empty();
        }
        int end = line.length() - suffix.length();
        int at = literals.get(0).length();
        Map<String, String> out = new HashMap<>();
        for (int v = 0; v < variables.size(); v++) {
            String name = variables.get(v);
            boolean lastVar = v == variables.size() - 1;
            String sep = literals.get(v + 1);
            int valueEnd;
            if (lastVar) {
                valueEnd = end;
                if (valueEnd < at || !shaped(name, line, at, valueEnd)) {
                    return Optional.empty();
                }
            } else {
                valueEnd = separatorAfter(name, line, at, end, sep);
                if (valueEnd < 0) {
                    return Optional.empty();
                }
            }
            out.putIfAbsent(name, line.substring(at, valueEnd));
            at = valueEnd + (lastVar ? 0 : sep.length());
        }
        return variables.isEmpty() && at != end ? Optional.empty() : Optional.of(out);
    }

    /** Where a variable's value ends: the first separator after a value of the variable's shape. */
    private static int separatorAfter(String name, String line, int from, int limit, String sep) {
        int fixed = fixedWidth(name, line, from);
        if (fixed >= 0) {
            int e = from + fixed;
            return e <= limit && line.startsWith(sep, e) && shaped(name, line, from, e) ? e : -1;
        }
        int p = from;
        while (p <= limit) {
            int e = line.indexOf(sep, p);
            if (e < 0 || e > limit) {
                return -1;
            }
            // a list of upstream attempts: "10.0.0.1:80, 10.0.0.2:80" and "502 : 504" continue the value
            boolean inList = name.startsWith("upstream_") && (e > from && (line.charAt(e - 1) == ','
                    || line.charAt(e - 1) == ':') || line.startsWith(" : ", e));
            if (!inList && shaped(name, line, from, e)) {
                return e;
            }
            if (sep.isEmpty()) {
                return -1;
            }
            p = e + 1;
        }
        return -1;
    }

    /** The length of a fixed-width value ({@code $time_local}, {@code $time_iso8601}, {@code $status}); -1 if none. */
    private static int fixedWidth(String name, String line, int from) {
        return switch (name) {
            case "status" -> 3;
            case "time_local" -> 26;
            case "time_iso8601" -> from + 19 < line.length() && line.charAt(from + 19) == 'Z' ? 20 : 25;
            default -> -1;
        };
    }

    /** Whether line[from, to) looks like the variable's values. */
    private static boolean shaped(String name, String line, int from, int to) {
        String v = line.substring(from, to);
        return switch (name) {
            case "status" -> v.length() == 3 && v.chars().allMatch(Character::isDigit);
            case "time_local" -> AccessLogLine.timeLocal(v).isPresent();
            case "time_iso8601" -> v.length() >= 20 && Character.isDigit(v.charAt(0)) && v.charAt(10) == 'T';
            case "msec" -> !v.isEmpty() && v.chars().allMatch(c -> Character.isDigit(c) || c == '.')
                    && v.indexOf('.') > 0;
            default -> true;
        };
    }
}
