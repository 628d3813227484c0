package dev.chatops.core.dispatch;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.error.BotException;
import dev.chatops.core.host.Host;
import dev.chatops.core.redact.Redactor;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text after a slash command: {@code web-03}, {@code web-03 fresh}, {@code history web-03 [7d]},
 * {@code help} or nothing.
 * Parsing only selects things: the host name must look like a host name and is later looked up in
 * the allowlist; it never reaches a shell.
 */
public sealed interface CommandText {

    /** A span as people type it in chat: {@code 30m}, {@code 24h}, {@code 7d}. */
    Pattern SPAN = Pattern.compile("(\\d{1,4})([mhd])");

    /** {@code /nginx502} alone or {@code /nginx502 help}. */
    record Help() implements CommandText {
    }

    /** {@code /nginx502 web-03 [fresh]}. */
    record Target(String host, boolean fresh) implements CommandText {
    }

    /** {@code /nginx502 history web-03 [7d]}: the host's kept reports over that span (24h by default). */
    record HostHistory(String host, Duration since) implements CommandText {
        public HostHistory {
            requireNonNull(host, "host is null");
            requireNonNull(since, "since is null");
        }
    }

    /** The longest span {@code history} looks back; retention keeps less by default anyway. */
    Duration MAX_HISTORY = Duration.ofDays(365);

    static CommandText parse(String command, String text) {
        List<String> words = text == null || text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
        if (words.isEmpty() || (words.size() == 1 && words.get(0).equalsIgnoreCase("help"))) {
            return new Help();
        }
        if (words.get(0).equalsIgnoreCase("history")) {
            return history(words, "usage: " + command + " history <host> [24h|7d]");
        }
        String usage = "usage: " + command + " <host> [fresh], or " + command + " help";
        if (words.size() > 2) {
            throw BotException.badInput("too many words in `" + shorten(text) + "`; " + usage);
        }
        String host = words.get(0);
        if (!Host.isValidName(host)) {
            throw BotException.badInput("`" + shorten(host) + "` is not a host name (letters, digits, '.', '_', '-' only); "
                    + usage);
        }
        boolean fresh = false;
        if (words.size() == 2) {
            if (!words.get(1).toLowerCase(Locale.ROOT).equals("fresh")) {
                throw BotException.badInput("unknown option `" + shorten(words.get(1)) + "`; " + usage);
            }
            fresh = true;
        }
        return new Target(host, fresh);
    }

    private static CommandText history(List<String> words, String usage) {
        if (words.size() < 2 || words.size() > 3) {
            throw BotException.badInput("history needs a host name and at most a time span; " + usage);
        }
        String host = words.get(1);
        if (!Host.isValidName(host)) {
            throw BotException.badInput("`" + shorten(host) + "` is not a host name (letters, digits, '.', '_', '-' "
                    + "only); " + usage);
        }
        Duration since = Duration.ofHours(24);
        if (words.size() == 3) {
            Matcher m = SPAN.matcher(words.get(2).toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw BotException.badInput("`" + shorten(words.get(2)) + "` is not a time span like 30m, 24h or 7d; "
                        + usage);
            }
            long n = Long.parseLong(m.group(1));
            since = switch (m.group(2)) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            if (since.isZero() || since.compareTo(MAX_HISTORY) > 0) {
                throw BotException.badInput("the time span must be longer than zero and at most 365d; " + usage);
            }
        }
        return new HostHistory(host, since);
    }

    /** Redacted before it is cut, so a pasted token cut in half is not quoted back. */
    private static String shorten(String s) {
        String oneLine = Redactor.redact(s).replaceAll("[\\p{Cntrl}`]", "?");
        return oneLine.length() > 40 ? oneLine.substring(0, 40) + "…" : oneLine;
    }
}
