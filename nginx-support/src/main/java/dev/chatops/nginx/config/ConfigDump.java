package dev.chatops.nginx.config;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The output of {@code nginx -T}: each file nginx read, in the order it read them, under a
 * {@code # configuration file PATH:} marker. The first file is the main one. Lines before the first
 * marker (the {@code nginx -t} verdict on stderr) are kept as {@link #messages()}.
 */
public record ConfigDump(Map<String, String> files, List<String> messages) {

    private static final Pattern MARKER = Pattern.compile("^# configuration file (.+):$");

    public ConfigDump {
        files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(files, "files is null")));
        messages = List.copyOf(requireNonNull(messages, "messages is null"));
    }

    public static ConfigDump parse(String output) {
        Map<String, String> files = new LinkedHashMap<>();
        List<String> messages = new ArrayList<>();
        String current = null;
        StringBuilder body = new StringBuilder();
        for (String line : output.split("\n", -1)) {
            Matcher m = MARKER.matcher(line);
            if (m.matches()) {
                if (current != null) {
                    files.putIfAbsent(current, trimDumpNewline(body));
                }
                current = m.group(1);
                body.setLength(0);
            } else if (current != null) {
                body.append(line).append('\n');
            } else if (!line.isBlank()) {
                messages.add(line);
            }
        }
        if (current != null) {
            files.putIfAbsent(current, trimDumpNewline(body));
        }
        return new ConfigDump(files, messages);
    }

    /** nginx -T writes one extra newline after each file; drop it so line counts match the file. */
    private static String trimDumpNewline(StringBuilder body) {
        String s = body.toString();
        if (s.endsWith("\n\n")) {
            return s.substring(0, s.length() - 1);
        }
        return s;
    }

    public Optional<String> mainFile() {
        return files.keySet().stream().findFirst();
    }

    public boolean isEmpty() {
        return files.isEmpty();
    }
}
