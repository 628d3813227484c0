package dev.chatops.core.redact;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from text that is about to be quoted to people or written to a file: named values
 * ({@code password=}, {@code "api_key": }, {@code Authorization:}, cookies pair by pair, secret query
 * keys, nginx {@code proxy_set_header}/{@code fastcgi_param} lines, see {@link NamedValues}), user
 * passwords in URLs and DSNs, private key blocks and tokens recognisable by their shape (cloud keys,
 * JWTs, Slack, GitHub, Stripe). Applied by checks to what they quote, again by every renderer and by
 * the audit log, always before anything is shortened, so a cut cannot leave half a secret behind.
 *
 * <p>Every pattern is anchored at a word start and uses possessive or bounded repetition, so a pass
 * costs time linear in the text even when a host sends a megabyte of near-matches.
 */
public final class Redactor {

    public static final String MASK = "[REDACTED]";

    /** One shape of secret: what matches is replaced by {@code replacement} ({@code $n} keeps group n). */
    private record Shape(Pattern pattern, String replacement) {
        String apply(String text) {
            Matcher m = pattern.matcher(text);
            return m.find() ? m.replaceAll(replacement) : text;
        }
    }

    private static final String WORD_START = "(?<![A-Za-z0-9_-])";

    private static final List<Shape> BEFORE_NAMES = List.of(
            // PEM private keys, also inside JSON strings ("\n" escaped) and cut-off blocks
            new Shape(Pattern.compile("-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----"
                    + "[\\s\\S]*?(?:-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|\\z)"), MASK),
            // scheme://user:password@ and scheme://:password@ (URLs and DSNs)
            new Shape(Pattern.compile("(?i)(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{0,30}://[^/\\s:@\"'<>]*+):[^@/\\s\"'<>]++@"),
                    "$1:" + MASK + "@"),
            // Slack incoming webhooks: the path is the credential
            new Shape(Pattern.compile("(?i)(hooks\\.slack\\.com/(?:services|workflows|triggers)/)[A-Za-z0-9_/-]++"),
                    "$1" + MASK));

    private static final List<Shape> AFTER_NAMES = List.of(
            new Shape(Pattern.compile("(?i)" + WORD_START + "(bearer|basic)\\s++[A-Za-z0-9._~+/=-]{8,}+"),
                    "$1 " + MASK),
            // JSON web tokens: header.payload.signature, the header always starts {" = eyJ
            new Shape(Pattern.compile(WORD_START + "eyJ[A-Za-z0-9_-]{8,}+\\.[A-Za-z0-9_-]{2,}+(?:\\.[A-Za-z0-9_-]*+)?"),
                    MASK),
            new Shape(Pattern.compile(WORD_START + "xox[abposre]-[A-Za-z0-9-]{10,}+"), MASK),
            new Shape(Pattern.compile(WORD_START + "xapp-[A-Za-z0-9-]{10,}+"), MASK),
            // AWS access key ids
            new Shape(Pattern.compile("(?<![A-Z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[A-Z0-9]{16}(?![A-Z0-9])"), MASK),
            // Google: API keys, OAuth access tokens, Cloud Storage HMAC keys
            new Shape(Pattern.compile(WORD_START + "AIza[0-9A-Za-z_-]{35}"), MASK),
            new Shape(Pattern.compile(WORD_START + "ya29\\.[0-9A-Za-z_-]{20,}+"), MASK),
            new Shape(Pattern.compile("(?<![A-Z0-9])GOOG1[A-Z0-9]{20,}+"), MASK),
            // GitHub
            new Shape(Pattern.compile(WORD_START + "gh[pousr]_[A-Za-z0-9]{30,}+"), MASK),
            new Shape(Pattern.compile(WORD_START + "github_pat_[A-Za-z0-9_]{20,}+"), MASK),
            // Stripe secret and restricted keys, webhook signing secrets
            new Shape(Pattern.compile("(?<![A-Za-z0-9])(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{10,}+"), MASK),
            new Shape(Pattern.compile("(?<![A-Za-z0-9])whsec_[0-9A-Za-z]{10,}+"), MASK),
            // OpenAI/Anthropic-style sk- keys
            new Shape(Pattern.compile(WORD_START + "sk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}+"), MASK));

    private Redactor() {
    }

    /** Every pattern a pass applies, for tests that bound the work each does on hostile text. */
    static List<Pattern> patterns() {
        return java.util.stream.Stream.concat(BEFORE_NAMES.stream(), AFTER_NAMES.stream()).map(Shape::pattern).toList();
    }

    public static String redact(String text) {
        String out = text;
        for (Shape s : BEFORE_NAMES) {
            out = s.apply(out);
        }
        out = NamedValues.mask(out);
        for (Shape s : AFTER_NAMES) {
            out = s.apply(out);
        }
        return out;
    }
}
