package dev.chatops.nginx.config;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** A {@code location} block: its match ({@code =}, {@code ^~}, {@code ~}, {@code ~*}, prefix or {@code @name}). */
public final class LocationBlock {

    public enum Kind { EXACT, PREFIX, PREFERRED_PREFIX, REGEX, REGEX_CASELESS, NAMED }

    private final Directive directive;
    private final ServerBlock server;
    private final Optional<LocationBlock> parent;
    private final Kind kind;
    private final String pattern;
    private final Optional<Pattern> regex;
    private final List<LocationBlock> nested = new ArrayList<>();

    LocationBlock(Directive directive, ServerBlock server, Optional<LocationBlock> parent) {
        this.directive = requireNonNull(directive, "directive is null");
        this.server = requireNonNull(server, "server is null");
        this.parent = requireNonNull(parent, "parent is null");
        List<String> a = directive.args();
        String first = a.isEmpty() ? "/" : a.get(0);
        if (a.size() >= 2) {
            pattern = a.get(1);
            kind = switch (first) {
                case "=" -> Kind.EXACT;
                case "^~" -> Kind.PREFERRED_PREFIX;
                case "~" -> Kind.REGEX;
                case "~*" -> Kind.REGEX_CASELESS;
                default -> Kind.PREFIX;
            };
        } else if (first.startsWith("@")) {
            pattern = first;
            kind = Kind.NAMED;
        } else if (first.startsWith("=") && first.length() > 1) {
            pattern = first.substring(1);
            kind = Kind.EXACT;
        } else if (first.startsWith("~*") && first.length() > 2) {
            pattern = first.substring(2);
            kind = Kind.REGEX_CASELESS;
        } else if (first.startsWith("~") && first.length() > 1) {
            pattern = first.substring(1);
            kind = Kind.REGEX;
        } else if (first.startsWith("^~") && first.length() > 2) {
            pattern = first.substring(2);
            kind = Kind.PREFERRED_PREFIX;
        } else {
            pattern = first;
            kind = Kind.PREFIX;
        }
        Optional<Pattern> compiled = Optional.empty();
        if (kind == Kind.REGEX || kind == Kind.REGEX_CASELESS) {
            try {
                compiled = Optional.of(Pattern.compile(pattern, kind == Kind.REGEX_CASELESS
                        ? Pattern.CASE_INSENSITIVE : 0));
            } catch (PatternSyntaxException e) {
                compiled = Optional.empty();
            }
        }
        this.regex = compiled;
        for (Directive d : directive.children()) {
            if (d.name().equals("location") && d.block()) {
                nested.add(new LocationBlock(d, server, Optional.of(this)));
            }
        }
    }

    public Directive directive() {
        return directive;
    }

    public ServerBlock server() {
        return server;
    }

    public Optional<LocationBlock> parent() {
        return parent;
    }

    public Kind kind() {
        return kind;
    }

    public String pattern() {
        return pattern;
    }

    public List<LocationBlock> nested() {
        return List.copyOf(nested);
    }

    boolean isRegex() {
        return kind == Kind.REGEX || kind == Kind.REGEX_CASELESS;
    }

    /** Longer URIs are not matched: nginx refuses request lines over its header buffers (8 KiB by default). */
    private static final int MAX_URI = 16 * 1024;

    boolean regexMatches(String uri) {
        // the config's regex runs on a client's URI: bounded input keeps a backtracking pattern bounded too
        return uri.length() <= MAX_URI && regex.map(r -> r.matcher(uri).find()).orElse(false);
    }

    void collect(List<LocationBlock> out) {
        out.add(this);
        nested.forEach(n -> n.collect(out));
    }

    /** Directives that apply here, innermost first: this location, enclosing locations, server, http. */
    public List<Directive> scope() {
        List<Directive> out = new ArrayList<>();
        Optional<LocationBlock> l = Optional.of(this);
        while (l.isPresent()) {
            out.add(l.get().directive);
            l = l.get().parent;
        }
        out.add(server.directive());
        out.add(server.http());
        return out;
    }

    /** As written: {@code location ~ \.php$}. */
    public String label() {
        return "location " + String.join(" ", directive.args());
    }

    @Override
    public String toString() {
        return label() + " (" + directive.file() + ":" + directive.line() + ")";
    }
}
