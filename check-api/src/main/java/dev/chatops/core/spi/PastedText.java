package dev.chatops.core.spi;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * Log lines someone pasted (into chat, or a file given to the command line) to ask what they mean,
 * with no host behind them. Whoever pasted them may have copied anything, so the text is bounded before
 * a check sees it: at most {@link #MAX_CHARS} characters are read, at most {@link #MAX_LINES} non-blank
 * lines are kept, each cut at {@link #MAX_LINE}, and a line holding control characters other than a tab
 * (binary data, terminal escapes) is set aside as not text. Code fences ({@code ```}) that chat puts
 * around a pasted block are not lines, nor are the blanks around a line.
 *
 * @param lines     the lines a check reads, in the order pasted
 * @param notText   how many lines were set aside for holding control characters
 * @param dropped   how many non-blank lines came after the first {@link #MAX_LINES}
 * @param cut       whether the text was longer than {@link #MAX_CHARS} and its end was not read
 */
public record PastedText(List<Line> lines, int notText, int dropped, boolean cut) {

    public static final int MAX_CHARS = 512 * 1024;
    public static final int MAX_LINES = 1000;
    public static final int MAX_LINE = 16 * 1024;

    /**
     * One pasted line.
     *
     * @param number where it was in the paste, from 1, counting blank lines, so people can find it
     * @param text   the line without its line break, at most {@link #MAX_LINE} characters
     */
    public record Line(int number, String text) {
        public Line {
            requireNonNull(text, "text is null");
            if (number < 1) {
                throw new IllegalArgumentException("line numbers start at 1");
            }
        }
    }

    public PastedText {
        lines = List.copyOf(requireNonNull(lines, "lines is null"));
        if (notText < 0 || dropped < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }

    /** Reads pasted text within the limits above. */
    public static PastedText of(String raw) {
        requireNonNull(raw, "raw is null");
        boolean cut = raw.length() > MAX_CHARS;
        String text = cut ? raw.substring(0, MAX_CHARS) : raw;
        List<Line> lines = new ArrayList<>();
        int notText = 0;
        int dropped = 0;
        int number = 0;
        int at = 0;
        while (at <= text.length()) {
            int nl = text.indexOf('\n', at);
            int end = nl < 0 ? text.length() : nl;
            number++;
            String line = unfenced(text.substring(at, end));
            at = end + 1;
            if (line.isBlank()) {
                if (nl < 0) {
                    break;
                }
                continue;
            }
            if (lines.size() >= MAX_LINES) {
                dropped++;
            } else if (hasControl(line)) {
                notText++;
            } else {
                lines.add(new Line(number, line.length() > MAX_LINE ? line.substring(0, MAX_LINE) : line));
            }
            if (nl < 0) {
                break;
            }
        }
        return new PastedText(lines, notText, dropped, cut);
    }

    /** Whether nothing readable was pasted. */
    public boolean isEmpty() {
        return lines.isEmpty();
    }

    /** The line without surrounding blanks and without code fences chat put at its start or end. */
    private static String unfenced(String line) {
        String l = line.strip();
        if (l.startsWith("```")) {
            l = l.substring(3);
        }
        if (l.endsWith("```")) {
            l = l.substring(0, l.length() - 3);
        }
        return l.strip();
    }

    private static boolean hasControl(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                return true;
            }
        }
        return false;
    }
}
