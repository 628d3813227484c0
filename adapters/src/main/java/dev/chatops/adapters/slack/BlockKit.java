package dev.chatops.adapters.slack;

import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.ContextBlockElement;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.composition.TextObject;
import dev.chatops.adapters.render.HostText;
import dev.chatops.core.redact.Redactor;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Slack's Block Kit limits, and the escaping every text we post goes through. Slack rejects a
 * message that breaks a limit ({@code invalid_blocks}), so the layout keeps below them by
 * construction and {@link #problems} checks a finished message before it is sent.
 */
final class BlockKit {

    static final int MAX_BLOCKS = 50;
    static final int MAX_SECTION_TEXT = 3000;
    static final int MAX_HEADER_TEXT = 150;
    static final int MAX_CONTEXT_ELEMENTS = 10;
    static final int MAX_CONTEXT_TEXT = 3000;
    /** Slack's limit on a message's top-level text is 40,000; a notification needs far less. */
    static final int MAX_FALLBACK_TEXT = 3000;

    private static final Pattern TRIPLE_BACKTICK = Pattern.compile("```");
    // mentions of channels and users are links we build on purpose; <!here>-style broadcasts never are
    private static final Pattern ESCAPED_MENTION = Pattern.compile("&lt;([#@][CGUW][A-Z0-9]{2,20})&gt;");

    private BlockKit() {
    }

    /**
     * Text from a host, a check or a user, made safe to quote: secrets redacted, bidi controls (which
     * could make a line read backwards) shown as escapes, mrkdwn control characters escaped, and no run
     * of three backticks that would open or close a code block.
     */
    static String quote(String raw) {
        return unfenced(escape(HostText.withoutBidi(Redactor.redact(raw))));
    }

    /** Like {@link #quote(String)}, shortened to {@code max} characters before escaping, so no entity is cut. */
    static String quote(String raw, int max) {
        return unfenced(escape(HostText.withoutBidi(clip(Redactor.redact(raw), max))));
    }

    /** Escapes the three characters Slack's mrkdwn gives meaning to, so no quoted text can mention or link anyone. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Like {@link #quote}, but keeps channel and user mentions ({@code <#C0123>}, {@code <@U0123>}) working. */
    static String quoteKeepingMentions(String raw) {
        return ESCAPED_MENTION.matcher(quote(raw)).replaceAll("<$1>");
    }

    /** Content for a code block: quoted, so no run of three backticks in it can end the block early. */
    static String codeContent(String raw) {
        return quote(raw);
    }

    private static String unfenced(String text) {
        return TRIPLE_BACKTICK.matcher(text).replaceAll("`\u200B`\u200B`");
    }

    /** At most {@code max} characters; a shortened text ends with "…" and is never cut inside a surrogate pair. */
    static String clip(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max - 1;
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }

    /** The limits this message breaks, one sentence each; empty when Slack will accept it. */
    static List<String> problems(SlackMessage message) {
        List<String> out = new ArrayList<>();
        if (message.text().isEmpty()) {
            out.add("the message text is empty");
        }
        if (message.text().length() > MAX_FALLBACK_TEXT) {
            out.add("the message text has " + message.text().length() + " characters, more than " + MAX_FALLBACK_TEXT);
        }
        if (message.blocks().size() > MAX_BLOCKS) {
            out.add("the message has " + message.blocks().size() + " blocks, more than " + MAX_BLOCKS);
        }
        for (int i = 0; i < message.blocks().size(); i++) {
            LayoutBlock block = message.blocks().get(i);
            if (block instanceof SectionBlock s) {
                length(out, "section " + i, s.getText(), MAX_SECTION_TEXT);
            } else if (block instanceof HeaderBlock h) {
                length(out, "header " + i, h.getText(), MAX_HEADER_TEXT);
            } else if (block instanceof ContextBlock c) {
                if (c.getElements().isEmpty() || c.getElements().size() > MAX_CONTEXT_ELEMENTS) {
                    out.add("context " + i + " has " + c.getElements().size() + " elements, not 1-" + MAX_CONTEXT_ELEMENTS);
                }
                for (ContextBlockElement e : c.getElements()) {
                    if (e instanceof TextObject t) {
                        length(out, "context " + i, t, MAX_CONTEXT_TEXT);
                    }
                }
            }
        }
        return out;
    }

    private static void length(List<String> out, String what, TextObject text, int max) {
        String s = text instanceof MarkdownTextObject m ? m.getText()
                : text instanceof PlainTextObject p ? p.getText() : null;
        if (s == null || s.isEmpty()) {
            out.add(what + " has no text");
        } else if (s.length() > max) {
            out.add(what + " has " + s.length() + " characters, more than " + max);
        }
    }
}
