package dev.chatops.core.redact;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the values of secrets that are named: {@code password=x}, {@code "api_key": "x"},
 * {@code ?token=x&sig=y}, {@code Authorization: Bearer x}, {@code Cookie: a=1; b=2} (every pair),
 * {@code proxy_set_header X-Api-Key x;}, {@code fastcgi_param DB_PASSWORD x;}. The name is found by one
 * linear regex pass; whether it names a secret and where its value ends are decided here in code, which
 * keeps the pattern free of backtracking.
 */
final class NamedValues {

    /** A name, an optional closing quote (JSON keys), then {@code =}, {@code :}, {@code =>} or blanks. */
    private static final Pattern NAME = Pattern.compile(
            "(?<![A-Za-z0-9_.$-])([A-Za-z_$-][A-Za-z0-9_.$-]*+)([\"']?)([ \\t]*+(?:=>|[=:])[ \\t]*+|[ \\t]++)");

    /** Parts of names that always mean a secret. */
    private static final List<String> SECRET_PARTS = List.of("passw", "secret", "token", "apikey", "api_key",
            "api-key", "accesskey", "access_key", "access-key", "privatekey", "private_key", "private-key",
            "signature", "credential", "session", "sessid", "auth_key", "authkey", "auth-key", "x-api-key", "accountkey");

    /** Names that mean a secret only as a query or form parameter ({@code ?code=}, {@code &sig=}). */
    private static final Set<String> QUERY_SECRETS = Set.of("code", "key", "sig", "pwd", "pass", "auth", "sid", "otp",
            "jwt", "apikey", "hash", "ticket");

    /** Endings of names that hold settings about a secret, not the secret itself. */
    private static final List<String> NOT_SECRET_ENDINGS = List.of("file", "path", "dir", "cache", "timeout", "size",
            "length", "type", "ttl", "count", "expires", "expiry", "lifetime", "name", "mode", "tickets", "required");

    /** nginx directives whose second word names a header or variable and whose third is its value. */
    private static final Set<String> HEADER_DIRECTIVES = Set.of("proxy_set_header", "fastcgi_param", "uwsgi_param",
            "scgi_param", "grpc_set_header", "add_header", "more_set_headers", "more_set_input_headers",
            "proxy_set_body", "set", "env", "export");

    private static final Set<String> COOKIE_ATTRIBUTES = Set.of("path", "domain", "expires", "max-age", "samesite",
            "secure", "httponly", "priority", "partitioned");

    /** sudoers' tags before a command: they name no secret. */
    private static final Set<String> SUDOERS_TAGS = Set.of("nopasswd", "passwd");

    private enum Kind { NONE, PLAIN, HEADER, COOKIE }

    private NamedValues() {
    }

    /** Takes any character sequence so tests can count how much of it one pass reads. */
    static String mask(CharSequence text) {
        Matcher m = NAME.matcher(text);
        StringBuilder out = null;
        int copied = 0;
        int from = 0;
        while (from < text.length() && m.find(from)) {
            String name = m.group(1);
            boolean blanks = m.group(3).indexOf('=') < 0 && m.group(3).indexOf(':') < 0;
            int valueStart = m.end();
            Kind kind = kind(name, text, m.start(1), blanks);
            int valueEnd = kind == Kind.NONE ? -1 : valueEnd(kind, text, valueStart, blanks);
            if (valueEnd <= valueStart || text.charAt(valueStart) == '$'
                    || startsWith(text, Redactor.MASK, valueStart)) {
                // the name is not a secret's, has no value, or the value is an nginx variable such as $http_authorization
                from = kind == Kind.NONE ? m.end(1) : valueStart;
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, copied, valueStart);
            out.append(kind == Kind.COOKIE ? cookie(text.subSequence(valueStart, valueEnd).toString()) : Redactor.MASK);
            copied = valueEnd;
            from = valueEnd;
        }
        if (out == null) {
            return text.toString();
        }
        return out.append(text, copied, text.length()).toString();
    }

    private static boolean startsWith(CharSequence text, String prefix, int at) {
        if (at + prefix.length() > text.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (text.charAt(at + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static Kind kind(String name, CharSequence text, int start, boolean blanks) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.startsWith("$")) {
            n = n.substring(1);
        }
        if (SUDOERS_TAGS.contains(n)) {
            // "NOPASSWD: /usr/bin/ss -ltnp" is the sudoers line a refused probe asks for, not a password
            return Kind.NONE;
        }
        if (blanks && !afterHeaderDirective(text, start) && !(startsLine(text, start) && configSecret(n))) {
            // "token expired" is prose; only config lines pair a name and its value with blanks
            return Kind.NONE;
        }
        if (n.equals("cookie") || n.equals("set-cookie") || n.equals("http_cookie")) {
            return Kind.COOKIE;
        }
        if (isAuthHeader(n)) {
            return Kind.HEADER;
        }
        if (secretPart(n)) {
            return Kind.PLAIN;
        }
        if (QUERY_SECRETS.contains(n) && start > 0 && (text.charAt(start - 1) == '?' || text.charAt(start - 1) == '&')) {
            return Kind.PLAIN;
        }
        return Kind.NONE;
    }

    /** A config directive whose value is a secret ({@code secure_link_secret x;}); session settings are not. */
    private static boolean configSecret(String n) {
        return secretPart(n) && !n.contains("session") && !n.contains("sessid");
    }

    private static boolean isAuthHeader(String n) {
        String h = n.replace('_', '-');
        if (h.startsWith("http-")) {
            h = h.substring(5);
        }
        return h.equals("authorization") || h.endsWith("-authorization") || h.endsWith("-auth")
                || h.startsWith("x-auth") || (h.startsWith("x-") && (h.endsWith("-key") || h.endsWith("-token")
                || h.endsWith("-secret") || h.endsWith("-signature") || h.endsWith("-sig")));
    }

    private static boolean secretPart(String n) {
        for (String ending : NOT_SECRET_ENDINGS) {
            if (n.endsWith(ending) && n.length() > ending.length()) {
                char before = n.charAt(n.length() - ending.length() - 1);
                if (before == '_' || before == '-' || before == '.') {
                    return false;
                }
            }
        }
        for (String part : SECRET_PARTS) {
            if (n.contains(part)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the word before {@code start} (on the same line) is one of {@link #HEADER_DIRECTIVES}. */
    private static boolean afterHeaderDirective(CharSequence text, int start) {
        int end = start;
        while (end > 0 && (text.charAt(end - 1) == ' ' || text.charAt(end - 1) == '\t' || text.charAt(end - 1) == '"')) {
            end--;
        }
        int begin = end;
        while (begin > 0 && end - begin < 30 && isWordChar(text.charAt(begin - 1))) {
            begin--;
        }
        return end > begin && HEADER_DIRECTIVES.contains(text.subSequence(begin, end).toString().toLowerCase(Locale.ROOT));
    }

    private static boolean startsLine(CharSequence text, int start) {
        for (int i = start - 1; i >= 0; i--) {
            char c = text.charAt(i);
            if (c == '\n') {
                return true;
            }
            if (c != ' ' && c != '\t') {
                return false;
            }
        }
        return true;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-';
    }

    /** Where the value starting at {@code start} ends (exclusive); {@code start} when there is none. */
    private static int valueEnd(Kind kind, CharSequence text, int start, boolean blanks) {
        if (start >= text.length()) {
            return start;
        }
        char first = text.charAt(start);
        if (first == '"' || first == '\'') {
            // one scan for the closing quote or the line's end, so a line of unclosed quotes stays linear
            int close = until(text, start + 1, first + "\r\n");
            return close < text.length() && text.charAt(close) == first ? close + 1 : close;
        }
        return switch (kind) {
            case COOKIE -> until(text, start, "\"\r\n");
            case HEADER -> headerValueEnd(text, start);
            case PLAIN -> blanks ? until(text, start, " \t;\"'\r\n") : until(text, start, " \t\r\n&;,\"'<>");
            case NONE -> start;
        };
    }

    /** {@code Bearer x} ends after its token; other schemes and bare values run to the end of the field. */
    private static int headerValueEnd(CharSequence text, int start) {
        int word = until(text, start, " \t;\"\r\n,");
        String scheme = text.subSequence(start, word).toString().toLowerCase(Locale.ROOT);
        if ((scheme.equals("bearer") || scheme.equals("basic") || scheme.equals("token"))
                && word < text.length() && (text.charAt(word) == ' ' || text.charAt(word) == '\t')) {
            int tokenStart = word;
            while (tokenStart < text.length() && (text.charAt(tokenStart) == ' ' || text.charAt(tokenStart) == '\t')) {
                tokenStart++;
            }
            return until(text, tokenStart, " \t;\"'\r\n,");
        }
        return until(text, start, ";\"\r\n");
    }

    private static int until(CharSequence text, int start, String stops) {
        int i = start;
        while (i < text.length() && stops.indexOf(text.charAt(i)) < 0) {
            i++;
        }
        return i;
    }

    private static String cookie(String value) {
        char q = value.charAt(0);
        if ((q == '"' || q == '\'') && value.length() >= 2 && value.charAt(value.length() - 1) == q) {
            return q + cookiePairs(value.substring(1, value.length() - 1)) + q;
        }
        return cookiePairs(value);
    }

    /** {@code a=1; b=2; Path=/} becomes {@code a=[REDACTED]; b=[REDACTED]; Path=/}. */
    private static String cookiePairs(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        int i = 0;
        while (i <= value.length()) {
            int semi = value.indexOf(';', i);
            int end = semi < 0 ? value.length() : semi;
            String pair = value.substring(i, end);
            int eq = pair.indexOf('=');
            String name = (eq < 0 ? pair : pair.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            if (eq < 0 && !COOKIE_ATTRIBUTES.contains(name) && !name.isEmpty()) {
                sb.append(pair, 0, pair.length() - pair.stripLeading().length()).append(Redactor.MASK);
            } else if (eq < 0 || COOKIE_ATTRIBUTES.contains(name)) {
                sb.append(pair);
            } else {
                sb.append(pair, 0, eq + 1).append(Redactor.MASK);
            }
            if (semi < 0) {
                break;
            }
            sb.append(';');
            i = semi + 1;
        }
        return sb.toString();
    }
}
