package dev.chatops.core.dispatch;

import dev.chatops.core.error.BotException;
import dev.chatops.core.host.Host;
import dev.chatops.core.redact.Redactor;
import java.util.List;
import java.util.Locale;

/**
 * The text after a slash command: {@code web-03}, {@code web-03 fresh}, {@code help} or nothing.
 * Parsing only selects things: the host name must look like a host name and is later looked up in
 * the allowlist; it never reaches a shell.
 */
public sealed interface CommandText {

    /** {@code /nginx502} alone or {@code /nginx502 help}. */
    record Help() implements CommandText {
    }

    /** {@code /nginx502 web-03 [fresh]}. */
    record Target(String host, boolean fresh) implements CommandText {
    }

    static CommandText parse(String command, String text) {
        List<String> words = text == null || text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
        if (words.isEmpty() || (words.size() == 1 && words.get(0).equalsIgnoreCase("help"))) {
            return new Help();
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

    /** Redacted before it is cut, so a pasted token cut in half is not quoted back. */
    private static String shorten(String s) {
        String oneLine = Redactor.redact(s).replaceAll("[\\p{Cntrl}`]", "?");
        return oneLine.length() > 40 ? oneLine.substring(0, 40) + "…" : oneLine;
    }
}
