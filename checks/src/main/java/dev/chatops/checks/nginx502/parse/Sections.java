package dev.chatops.checks.nginx502.parse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The output of a probe script cut at its {@code @@nginx502 NAME key=value…} marker lines. Values run to
 * the next {@code key=} so paths and times with blanks survive.
 */
public final class Sections {

    public static final String MARK = "@@nginx502 ";
    private static final Pattern KEY = Pattern.compile("(?:^|\\s)([a-z_]+)=");

    /** One marker and the lines after it, up to the next marker. */
    public record Section(String name, Map<String, String> attrs, String arg, List<String> lines) {

        public String attr(String key) {
            return attrs.getOrDefault(key, "");
        }

        public String text() {
            return String.join("\n", lines);
        }
    }

    private Sections() {
    }

    /** The sections in order; lines before the first marker form a section named {@code ""}. */
    public static List<Section> parse(String output) {
        List<Section> out = new ArrayList<>();
        String name = "";
        Map<String, String> attrs = Map.of();
        String arg = "";
        List<String> lines = new ArrayList<>();
        for (String line : output.split("\n", -1)) {
            if (line.startsWith(MARK)) {
                if (!name.isEmpty() || !lines.isEmpty()) {
                    out.add(new Section(name, attrs, arg, trimEnd(lines)));
                }
                String rest = line.substring(MARK.length());
                int sp = rest.indexOf(' ');
                name = sp < 0 ? rest : rest.substring(0, sp);
                arg = sp < 0 ? "" : rest.substring(sp + 1);
                attrs = attributes(arg);
                lines = new ArrayList<>();
            } else {
                lines.add(line);
            }
        }
        if (!name.isEmpty() || !lines.isEmpty()) {
            out.add(new Section(name, attrs, arg, trimEnd(lines)));
        }
        return out;
    }

    public static Optional<Section> first(List<Section> sections, String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    static Map<String, String> attributes(String arg) {
        Map<String, String> out = new HashMap<>();
        Matcher m = KEY.matcher(arg);
        List<int[]> keys = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (m.find()) {
            keys.add(new int[] {m.start(1), m.end()});
            names.add(m.group(1));
        }
        for (int i = 0; i < keys.size(); i++) {
            int end = i + 1 < keys.size() ? keys.get(i + 1)[0] : arg.length();
            out.put(names.get(i), arg.substring(keys.get(i)[1], end).strip());
        }
        return out;
    }

    private static List<String> trimEnd(List<String> lines) {
        int n = lines.size();
        while (n > 0 && lines.get(n - 1).isEmpty()) {
            n--;
        }
        return List.copyOf(lines.subList(0, n));
    }
}
