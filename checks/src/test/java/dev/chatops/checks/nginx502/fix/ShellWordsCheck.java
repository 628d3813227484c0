package dev.chatops.checks.nginx502.fix;

import java.util.ArrayList;
import java.util.List;

/**
 * A strict reading of a suggested command the way a POSIX shell tokenizes it (quotes, backslashes,
 * comments), without running it: which parts of the text the shell would read as syntax. A value a
 * client chose is safe in a command only inside a single-quoted word or a comment.
 */
public final class ShellWordsCheck {

    private ShellWordsCheck() {
    }

    /** The text of a command the shell reads unquoted or inside double quotes (where $ and ` still act). */
    public record Reading(String active, boolean balanced) {
    }

    public static Reading read(String command) {
        StringBuilder active = new StringBuilder();
        int i = 0;
        boolean wordStart = true;
        while (i < command.length()) {
            char c = command.charAt(i);
            if (c == '#' && wordStart) {
                break;
            }
            if (c == '\'') {
                int close = command.indexOf('\'', i + 1);
                if (close < 0) {
                    return new Reading(active.toString(), false);
                }
                active.append(' ');
                i = close + 1;
                wordStart = false;
                continue;
            }
            if (c == '"') {
                int j = i + 1;
                while (j < command.length() && command.charAt(j) != '"') {
                    if (command.charAt(j) == '\\') {
                        j++;
                    }
                    if (j < command.length()) {
                        active.append(command.charAt(j));
                    }
                    j++;
                }
                if (j >= command.length()) {
                    return new Reading(active.toString(), false);
                }
                i = j + 1;
                wordStart = false;
                continue;
            }
            if (c == '\\' && i + 1 < command.length()) {
                active.append(command.charAt(i + 1));
                i += 2;
                wordStart = false;
                continue;
            }
            active.append(c);
            wordStart = c == ' ' || c == '\t' || c == ';' || c == '|' || c == '&' || c == '(' || c == ')';
            i++;
        }
        return new Reading(active.toString(), true);
    }

    private static boolean inert(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "@%+=:,./_-".indexOf(c) >= 0;
    }

    /** The problems of one fix's text with a client's marker in it; empty when it is safe to run. */
    public static List<String> problems(String text, boolean command, String marker) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.add("control character " + (int) c + " in: " + text);
                return out;
            }
        }
        if (!command || !text.contains(marker)) {
            return out;
        }
        String plain = text;
        for (String placeholder : new String[] {Words.URI, Words.ADDRESS, Words.HOST, Words.PATH, Words.SERVICE, Words.USER}) {
            plain = plain.replace(placeholder, "_");
        }
        Reading r = read(plain);
        if (!r.balanced()) {
            out.add("unbalanced quotes around a client's text: " + text);
            return out;
        }
        // outside single quotes a client's text may only stand in a word the shell reads literally
        for (String word : r.active().split("[ \t]+")) {
            if (word.contains(marker) && !word.chars().allMatch(ShellWordsCheck::inert)) {
                out.add("a client's text is read by the shell: " + text);
            }
        }
        return out;
    }
}
