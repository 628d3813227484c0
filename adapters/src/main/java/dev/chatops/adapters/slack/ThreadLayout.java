package dev.chatops.adapters.slack;

import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.ContextBlockElement;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Lays blocks out over as many thread messages as they need, within Block Kit's limits: a long
 * text is split over several sections at line ends, a long code block over several code blocks,
 * and a full message continues in the next one. Past {@code maxMessages} the rest is left out
 * and the last message says how much, so Slack never rejects what we send.
 */
final class ThreadLayout {

    /** Below Slack's 50, leaving room for the note that says what was left out. */
    static final int BLOCKS_PER_MESSAGE = 45;
    /** Not a Slack limit: more text than this in one message is hard to read, so it continues below. */
    static final int CHARS_PER_MESSAGE = 12_000;
    private static final String FENCE = "```";

    private final String fallbackText;
    private final int maxMessages;
    private final List<List<LayoutBlock>> messages = new ArrayList<>();
    private List<LayoutBlock> current = new ArrayList<>();
    private int currentChars;
    private int omitted;

    /**
     * @param fallbackText what notifications show for each message (mrkdwn, already quoted)
     * @param maxMessages  how many messages the thread may take
     */
    ThreadLayout(String fallbackText, int maxMessages) {
        if (maxMessages < 1) {
            throw new IllegalArgumentException("maxMessages must be at least 1");
        }
        this.fallbackText = BlockKit.clip(fallbackText, BlockKit.MAX_FALLBACK_TEXT);
        this.maxMessages = maxMessages;
    }

    /** A header: plain text, emoji allowed, shortened to the header limit. */
    ThreadLayout header(String plainText) {
        add(HeaderBlock.builder().text(PlainTextObject.builder().text(BlockKit.clip(plainText.strip(), BlockKit.MAX_HEADER_TEXT))
                .emoji(true).build()).build(), plainText.length());
        return this;
    }

    /** Text in mrkdwn (already quoted), in as many sections as it needs, split at line ends. */
    ThreadLayout text(String mrkdwn) {
        for (String part : split(mrkdwn, BlockKit.MAX_SECTION_TEXT)) {
            section(part);
        }
        return this;
    }

    /**
     * A copyable code block, with an optional caption (mrkdwn) above it. Code too long for one
     * section continues in the next, each part its own block.
     *
     * @param code the content, already made safe with {@link BlockKit#codeContent}
     */
    ThreadLayout code(String caption, String code) {
        String head = caption.isEmpty() ? "" : caption + "\n";
        String more = "_(continued)_\n";
        int room = BlockKit.MAX_SECTION_TEXT - Math.max(head.length(), more.length()) - 2 * FENCE.length();
        List<String> parts = split(code.isEmpty() ? " " : code, room);
        for (int i = 0; i < parts.size(); i++) {
            section((i == 0 ? head : more) + FENCE + parts.get(i) + FENCE);
        }
        return this;
    }

    /** A context line (mrkdwn, already quoted): small grey text. */
    ThreadLayout context(String mrkdwn) {
        String text = BlockKit.clip(mrkdwn, BlockKit.MAX_CONTEXT_TEXT);
        add(context(List.of(MarkdownTextObject.builder().text(text).build())), text.length());
        return this;
    }

    /** How many blocks did not fit in {@code maxMessages} messages. */
    int omitted() {
        return omitted;
    }

    /** The messages, each within Block Kit's limits; the last one says what was left out, if anything was. */
    List<SlackMessage> messages() {
        List<List<LayoutBlock>> all = new ArrayList<>(messages);
        List<LayoutBlock> last = new ArrayList<>(current);
        if (omitted > 0) {
            last.add(context(List.of(MarkdownTextObject.builder().text(":scissors: " + omitted + " more block"
                    + (omitted == 1 ? "" : "s") + " did not fit in this thread; run the check from the command line "
                    + "on the bot's host for the whole report").build())));
        }
        if (!last.isEmpty()) {
            all.add(last);
        }
        List<SlackMessage> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            String text = all.size() == 1 ? fallbackText
                    : BlockKit.clip(fallbackText, BlockKit.MAX_FALLBACK_TEXT - 12) + " (" + (i + 1) + "/" + all.size() + ")";
            out.add(new SlackMessage(text, all.get(i)));
        }
        return out;
    }

    private void section(String mrkdwn) {
        add(SectionBlock.builder().text(MarkdownTextObject.builder().text(mrkdwn).build()).build(), mrkdwn.length());
    }

    private void add(LayoutBlock block, int chars) {
        if (!current.isEmpty() && (current.size() >= BLOCKS_PER_MESSAGE || currentChars + chars > CHARS_PER_MESSAGE)) {
            if (messages.size() + 1 >= maxMessages) {
                omitted++;
                return;
            }
            messages.add(current);
            current = new ArrayList<>();
            currentChars = 0;
        }
        current.add(block);
        currentChars += chars;
    }

    private static ContextBlock context(List<ContextBlockElement> elements) {
        return ContextBlock.builder().elements(elements).build();
    }

    /** Pieces of at most {@code max} characters, cut at line ends where a line allows it. */
    static List<String> split(String text, int max) {
        List<String> out = new ArrayList<>();
        StringBuilder piece = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            while (line.length() > max) {
                flush(out, piece);
                int cut = max;
                if (Character.isHighSurrogate(line.charAt(cut - 1))) {
                    cut--;
                }
                int entity = line.lastIndexOf('&', cut - 1);
                if (entity > 0 && entity > cut - 6 && line.indexOf(';', entity) >= cut) {
                    cut = entity; // never split "&amp;" and friends across two blocks
                }
                out.add(line.substring(0, cut));
                line = line.substring(cut);
            }
            int needed = piece.length() == 0 ? line.length() : piece.length() + 1 + line.length();
            if (needed > max) {
                flush(out, piece);
            }
            if (piece.length() > 0) {
                piece.append('\n');
            }
            piece.append(line);
        }
        flush(out, piece);
        if (out.isEmpty()) {
            out.add(" ");
        }
        return out;
    }

    private static void flush(List<String> out, StringBuilder piece) {
        if (piece.length() > 0) {
            out.add(piece.toString());
            piece.setLength(0);
        }
    }
}
