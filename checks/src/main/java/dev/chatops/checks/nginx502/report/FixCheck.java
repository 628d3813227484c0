package dev.chatops.checks.nginx502.report;

import dev.chatops.checks.nginx502.finding.Finding;
import dev.chatops.checks.nginx502.incident.Incident;
import dev.chatops.checks.nginx502.parse.phpfpm.PhpFpmPool;
import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.Fix;
import dev.chatops.core.spi.Location;
import dev.chatops.nginx.config.Directive;
import dev.chatops.nginx.config.NginxConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The last look at every fix before it is offered: a directive that the place it goes to already has,
 * with the same value, changes nothing, so it is dropped. A fix that quotes the line at its place as it
 * stands, with a note after it ("sends these requests to …", the line nginx -t names), points at that
 * line and is kept. Rules are expected to get this right themselves; this catches what they miss.
 */
public final class FixCheck {

    private FixCheck() {
    }

    /** The findings with the fixes that would change nothing removed. */
    public static List<Finding> vet(Incident in, List<Finding> findings) {
        List<Finding> out = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            Cause c = f.cause();
            List<Fix> kept = c.fixes().stream().filter(x -> !inEffect(in, x)).toList();
            out.add(kept.size() == c.fixes().size() ? f : new Finding(new Cause(c.id(), c.title(), c.confidence(),
                    c.detail(), c.evidence(), kept), f.headline()));
        }
        return out;
    }

    /** Whether a directive fix asks for what its place already has (and is not a pointer to that line). */
    public static boolean inEffect(Incident in, Fix fix) {
        if (fix.kind() != Fix.Kind.DIRECTIVE || fix.at().isEmpty()) {
            return false;
        }
        Location at = fix.at().get();
        String body = body(fix.text());
        if (body.isEmpty() || body.contains("<")) {
            return false;
        }
        for (PhpFpmPool p : in.host().phpFpm().pools()) {
            if (p.file().equals(at.file()) || p.settings().values().stream().anyMatch(s -> s.file().equals(at.file()))) {
                return poolSettingInEffect(p, body, fix.text());
            }
        }
        return directiveInEffect(in.config(), at, body, !body.equals(fix.text().strip()));
    }

    /** Every {@code name args;} statement of the fix is already in effect where it goes. */
    static boolean directiveInEffect(NginxConfig config, Location at, String body, boolean annotated) {
        List<List<Directive>> scope = scopeAt(config, at);
        if (scope.isEmpty()) {
            return false;
        }
        List<List<String>> statements = statements(body);
        if (statements.isEmpty()) {
            return false;
        }
        // a quote of the line as it stands, with a note: a pointer to where something is written
        Optional<Directive> own = directiveAt(config.main(), at);
        if (annotated && statements.size() == 1 && own.isPresent() && !own.get().block()
                && same(own.get(), statements.get(0))) {
            return false;
        }
        for (List<String> s : statements) {
            if (!inScope(scope, s)) {
                return false;
            }
        }
        return true;
    }

    private static boolean poolSettingInEffect(PhpFpmPool p, String body, String text) {
        int eq = body.indexOf('=');
        if (eq <= 0 || body.contains(";")) {
            return false;
        }
        String key = body.substring(0, eq).strip();
        String value = body.substring(eq + 1).strip();
        return p.value(key).map(v -> v.strip().equals(value)).orElse(false) && body.equals(text.strip());
    }

    /** The text before a {@code #} note; empty when the whole fix is a note. */
    static String body(String text) {
        int hash = -1;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '#' && !quoted) {
                hash = i;
                break;
            }
        }
        return (hash < 0 ? text : text.substring(0, hash)).strip();
    }

    /** {@code a b; c "d e";} as [[a, b], [c, d e]]. */
    static List<List<String>> statements(String body) {
        List<List<String>> out = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean inWord = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < body.length()) {
                    word.append(body.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                } else {
                    word.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                inWord = true;
            } else if (Character.isWhitespace(c) || c == ';') {
                if (inWord) {
                    cur.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                if (c == ';' && !cur.isEmpty()) {
                    out.add(cur);
                    cur = new ArrayList<>();
                }
            } else if (c == '{' || c == '}') {
                return List.of();
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord || !cur.isEmpty()) {
            // a statement without its ';' is not a directive as written: nothing to compare
            return List.of();
        }
        return out;
    }

    private static boolean inScope(List<List<Directive>> scope, List<String> statement) {
        String name = statement.get(0);
        for (List<Directive> level : scope) {
            List<Directive> named = level.stream().filter(d -> d.name().equals(name)).toList();
            if (!named.isEmpty()) {
                return named.stream().anyMatch(d -> same(d, statement));
            }
        }
        return false;
    }

    private static boolean same(Directive d, List<String> statement) {
        return d.name().equals(statement.get(0)) && d.args().equals(statement.subList(1, statement.size()));
    }

    /**
     * The levels of directives that apply at a place, innermost first: the block the place opens (a fix at
     * a {@code location} or {@code upstream} line goes inside it), then each enclosing block, then main.
     */
    static List<List<Directive>> scopeAt(NginxConfig config, Location at) {
        List<Directive> path = new ArrayList<>();
        if (!find(config.main(), at, path)) {
            return List.of();
        }
        List<List<Directive>> out = new ArrayList<>();
        Directive target = path.get(path.size() - 1);
        if (target.block()) {
            out.add(target.children());
        }
        for (int i = path.size() - 2; i >= 0; i--) {
            out.add(path.get(i).children());
        }
        out.add(config.main());
        return out;
    }

    private static Optional<Directive> directiveAt(List<Directive> level, Location at) {
        List<Directive> path = new ArrayList<>();
        return find(level, at, path) ? Optional.of(path.get(path.size() - 1)) : Optional.empty();
    }

    /** Depth-first: the deepest directive written at that file and line, with its ancestors. */
    private static boolean find(List<Directive> level, Location at, List<Directive> path) {
        for (Directive d : level) {
            path.add(d);
            if (d.block() && find(d.children(), at, path)) {
                return true;
            }
            if (d.file().equals(at.file()) && d.line() == at.line()) {
                return true;
            }
            path.remove(path.size() - 1);
        }
        return false;
    }
}
