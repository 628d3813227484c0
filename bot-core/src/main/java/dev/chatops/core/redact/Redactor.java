package dev.chatops.core.redact;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text that is about to be quoted to people: Authorization and cookie headers,
 * passwords, tokens and keys in config lines, query strings and log lines, private key blocks,
 * Slack and cloud tokens. Applied by checks to what they quote and again by every renderer.
 */
public final class Redactor {

    public static final String MASK = "[REDACTED]";

    private record Rule(Pattern pattern, String replacement) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule(Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----[\\s\\S]*?(-----END [A-Z ]*PRIVATE KEY-----|\\z)"),
                    MASK),
            // header-like values: "Authorization: Bearer x", proxy_set_header Authorization "Basic x";
            new Rule(Pattern.compile("(?i)\\b((?:proxy-)?authorization|cookie|set-cookie|x-api-key|x-auth-token)"
                    + "(\\s*[:=]\\s*|\\s+)(\"[^\"]*\"|'[^']*'|[^;\\r\\n,]+)"), "$1$2" + MASK),
            new Rule(Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]{8,}"), "$1 " + MASK),
            // key=value and key: value pairs, in configs, query strings and log lines
            new Rule(Pattern.compile("(?i)\\b([a-z0-9_.-]*(?:passw(?:or)?d|passwd|pwd|secret|token|api[_-]?key|access[_-]?key"
                    + "|private[_-]?key|client[_-]?secret|auth[_-]?key|session[_-]?id)[a-z0-9_.-]*)"
                    + "(\\s*[=:]\\s*|\\s+)(\"[^\"]*\"|'[^']*'|[^\\s&;,\"']+)"), "$1$2" + MASK),
            new Rule(Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{10,}"), MASK),
            new Rule(Pattern.compile("\\bxapp-[A-Za-z0-9-]{10,}"), MASK),
            new Rule(Pattern.compile("\\b(AKIA|ASIA)[A-Z0-9]{16}\\b"), MASK),
            new Rule(Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{30,}"), MASK),
            // user:password@ in URLs
            new Rule(Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://[^/\\s:@]+):[^@/\\s]+@"), "$1:" + MASK + "@"));

    private Redactor() {
    }

    public static String redact(String text) {
        String out = text;
        for (Rule rule : RULES) {
            Matcher m = rule.pattern().matcher(out);
            if (m.find()) {
                out = m.replaceAll(rule.replacement());
            }
        }
        return out;
    }
}
