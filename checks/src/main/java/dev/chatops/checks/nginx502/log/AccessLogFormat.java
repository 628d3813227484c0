package dev.chatops.checks.nginx502.log;

import static java.util.Objects.requireNonNull;

import dev.chatops.checks.nginx502.config.NginxConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code log_format} turned into a matcher for the lines it writes, so the status, time, host and
 * upstream fields can be read from any custom format, not only {@code combined}.
 */
public final class AccessLogFormat {

    private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{(\\w+)}|(\\w+))");
    private static final AccessLogFormat COMBINED = compile(NginxConfig.COMBINED);

    private final String format;
    private final Pattern pattern;
    private final List<String> variables;

    private AccessLogFormat(String format, Pattern pattern, List<String> variables) {
        this.format = format;
        this.pattern = pattern;
        this.variables = List.copyOf(variables);
    }

    public static AccessLogFormat combined() {
        return COMBINED;
    }

    public static AccessLogFormat compile(String format) {
        requireNonNull(format, "format is null");
        StringBuilder regex = new StringBuilder("^");
        List<String> vars = new ArrayList<>();
        Matcher m = VARIABLE.matcher(format);
        int at = 0;
        while (m.find()) {
            regex.append(Pattern.quote(format.substring(at, m.start())).replace("\\Q\\E", ""));
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            vars.add(name);
            regex.append(switch (name) {
                case "status" -> "(\\d{3})";
                case "time_local" -> "(\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4})";
                case "time_iso8601" -> "(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:[+-]\\d{2}:\\d{2}|Z))";
                case "msec" -> "(\\d+\\.\\d+)";
                default -> "(.*?)";
            });
            at = m.end();
        }
        regex.append(Pattern.quote(format.substring(at)).replace("\\Q\\E", "")).append("$");
        return new AccessLogFormat(format, Pattern.compile(regex.toString()), vars);
    }

    public String format() {
        return format;
    }

    public boolean has(String variable) {
        return variables.contains(variable);
    }

    /** The fields of a line written in this format; empty when the line does not match it. */
    public Optional<Map<String, String>> fields(String line) {
        if (line.length() > 8192) {
            return Optional.empty();
        }
        Matcher m = pattern.matcher(line);
        if (!m.matches()) {
            return Optional.empty();
        }
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < variables.size(); i++) {
            out.putIfAbsent(variables.get(i), m.group(i + 1));
        }
        return Optional.of(out);
    }
}
