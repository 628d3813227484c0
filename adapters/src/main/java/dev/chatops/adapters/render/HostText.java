package dev.chatops.adapters.render;

import java.util.function.Function;

/**
 * Text that came from a host, made inert before it is shown. A log line can carry terminal escape
 * sequences (clear the screen, move the cursor, retitle the window) and Unicode bidi controls that
 * make a line read backwards, enough to fake a report or hide part of one. Such characters are
 * shown as visible escapes ({@code \x1b}, {@code \u202e}) rather than dropped, so the reader sees
 * that the host sent them.
 */
public final class HostText {

    private HostText() {
    }

    /** For a terminal: every C0 and C1 control character, DEL and bidi control escaped; tabs kept. */
    public static String forTerminal(String text) {
        return escape(text, c -> terminal(c, false));
    }

    /** Like {@link #forTerminal}, but keeps line breaks (for text a check lays out over several lines). */
    public static String forTerminalKeepingLines(String text) {
        return escape(text, c -> terminal(c, true));
    }

    /** For chat: only bidi controls escaped (the chat client shows other control characters inertly). */
    public static String withoutBidi(String text) {
        return escape(text, c -> isBidi(c) ? unicode(c) : null);
    }

    /**
     * JSON text with DEL, C1 controls and bidi controls written as {@code \\uXXXX} escapes; the JSON
     * library already escapes C0 controls. Safe on a whole document: such characters can only occur
     * inside its strings.
     */
    public static String escapeJson(String json) {
        return escape(json, c -> c == 0x7f || (c >= 0x80 && c <= 0x9f) || isBidi(c) ? unicode(c) : null);
    }

    static boolean isBidi(char c) {
        return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f
                || c == 0x061c;
    }

    private static String terminal(char c, boolean keepLines) {
        boolean control = (c < 0x20 && c != '\t' && !(keepLines && c == '\n')) || c == 0x7f
                || (c >= 0x80 && c <= 0x9f);
        return control ? String.format("\\x%02x", (int) c) : isBidi(c) ? unicode(c) : null;
    }

    private static String unicode(char c) {
        return String.format("\\u%04x", (int) c);
    }

    /** The text with each character that {@code escapeOf} names replaced by it; copied only once one is. */
    private static String escape(String text, Function<Character, String> escapeOf) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String escaped = escapeOf.apply(c);
            if (escaped != null) {
                if (sb == null) {
                    sb = new StringBuilder(text.length() + 8).append(text, 0, i);
                }
                sb.append(escaped);
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? text : sb.toString();
    }
}
