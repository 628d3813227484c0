package dev.chatops.checks.nginx502.explain;

import dev.chatops.checks.nginx502.parse.json.JsonEscapes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One flat JSON object per line, as nginx writes with {@code log_format … escape=json '{"status":"$status",…}'},
 * docker's json-file driver and {@code journalctl -o json} write: string, number, boolean and null values,
 * nothing nested. Read in one pass; anything else (nesting, a broken escape, a repeated key, trailing text) is
 * not such a line.
 */
final class FlatJson {

    static final int MAX_KEYS = 64;

    private final String s;
    private int at;

    private FlatJson(String s) {
        this.s = s;
    }

    /** The object's values as text (numbers and booleans as written, null as absent); empty unless well formed. */
    static Optional<Map<String, String>> parse(String line) {
        try {
            return Optional.of(new FlatJson(line).object());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Map<String, String> object() {
        Map<String, String> out = new LinkedHashMap<>();
        space();
        expect('{');
        space();
        if (peek() == '}') {
            at++;
        } else {
            while (true) {
                space();
                String key = string();
                space();
                expect(':');
                space();
                Optional<String> value = value();
                if (out.containsKey(key) || out.size() >= MAX_KEYS) {
                    throw new IllegalArgumentException("repeated key or too many keys");
                }
                out.put(key, value.orElse(null));
                space();
                char c = next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw new IllegalArgumentException("expected , or }");
                }
            }
        }
        space();
        if (at != s.length()) {
            throw new IllegalArgumentException("text after the object");
        }
        out.values().removeIf(v -> v == null);
        return out;
    }

    private Optional<String> value() {
        char c = peek();
        if (c == '"') {
            return Optional.of(string());
        }
        int from = at;
        while (at < s.length() && (Character.isLetterOrDigit(s.charAt(at)) || "+-.".indexOf(s.charAt(at)) >= 0)) {
            at++;
        }
        String word = s.substring(from, at);
        if (word.equals("null")) {
            return Optional.empty();
        }
        if (word.equals("true") || word.equals("false") || (!word.isEmpty() && word.matches("-?\\d{1,18}(\\.\\d{1,18})?"))) {
            return Optional.of(word);
        }
        throw new IllegalArgumentException("not a flat value");
    }

    private String string() {
        expect('"');
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                throw new IllegalArgumentException("control character in a string");
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            JsonEscapes.Decoded e = JsonEscapes.decode(s, at)
                    .orElseThrow(() -> new IllegalArgumentException("bad escape"));
            sb.append(e.value());
            at = e.next();
        }
    }

    private void space() {
        while (at < s.length() && (s.charAt(at) == ' ' || s.charAt(at) == '\t')) {
            at++;
        }
    }

    private char peek() {
        if (at >= s.length()) {
            throw new IllegalArgumentException("unexpected end");
        }
        return s.charAt(at);
    }

    private char next() {
        char c = peek();
        at++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            throw new IllegalArgumentException("expected " + c);
        }
    }
}
