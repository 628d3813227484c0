package dev.chatops.nginx.config;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.spi.Location;
import java.util.List;
import java.util.Optional;

/**
 * One directive of an nginx configuration, where it was written, and (for block directives such as
 * {@code server} or {@code location}) the directives inside it. Arguments are unquoted.
 *
 * @param block whether the directive opens a block ({@code {...}}); its children are then in {@code children}
 */
public record Directive(String name, List<String> args, String file, int line, boolean block,
                        List<Directive> children) {

    public Directive {
        requireNonNull(name, "name is null");
        args = List.copyOf(requireNonNull(args, "args is null"));
        requireNonNull(file, "file is null");
        children = List.copyOf(requireNonNull(children, "children is null"));
    }

    public Location at() {
        return new Location(file, Math.max(1, line));
    }

    /** The first argument, or empty for a directive without arguments. */
    public Optional<String> arg(int index) {
        return index < args.size() ? Optional.of(args.get(index)) : Optional.empty();
    }

    /** The direct children with this name, in order. */
    public List<Directive> all(String childName) {
        return children.stream().filter(d -> d.name.equals(childName)).toList();
    }

    /** The last direct child with this name (nginx keeps the last of a repeated simple directive). */
    public Optional<Directive> last(String childName) {
        Directive found = null;
        for (Directive d : children) {
            if (d.name.equals(childName)) {
                found = d;
            }
        }
        return Optional.ofNullable(found);
    }

    /** The directive as it would be written back, e.g. {@code proxy_pass http://127.0.0.1:3000;}. */
    public String text() {
        StringBuilder sb = new StringBuilder(name);
        for (String a : args) {
            sb.append(' ').append(quoteIfNeeded(a));
        }
        return sb.append(block ? " {" : ";").toString();
    }

    private static String quoteIfNeeded(String a) {
        if (a.isEmpty() || a.chars().anyMatch(c -> c <= ' ' || c == ';' || c == '{' || c == '}' || c == '#'
                || c == '"' || c == '\'' || c == 0x7f)) {
            // written back on one line: nginx reads \n, \r and \t inside quotes; other controls cannot be written
            StringBuilder sb = new StringBuilder("\"");
            for (int i = 0; i < a.length(); i++) {
                char c = a.charAt(i);
                switch (c) {
                    case '\\' -> sb.append("\\\\");
                    case '"' -> sb.append("\\\"");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    default -> sb.append(c < 0x20 || c == 0x7f ? '?' : c);
                }
            }
            return sb.append('"').toString();
        }
        return a;
    }

    @Override
    public String toString() {
        return text() + " (" + file + ":" + line + ")";
    }
}
