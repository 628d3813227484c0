package dev.chatops.adapters.slack;

import static java.util.Objects.requireNonNull;

import com.slack.api.app_backend.interactive_components.payload.MessageShortcutPayload;
import com.slack.api.bolt.App;
import com.slack.api.bolt.context.builtin.MessageShortcutContext;
import com.slack.api.bolt.request.builtin.MessageShortcutRequest;
import com.slack.api.bolt.response.Response;
import dev.chatops.core.dispatch.AccessPolicy;
import dev.chatops.core.dispatch.Dispatcher;
import dev.chatops.core.dispatch.Requester;
import dev.chatops.core.error.BotException;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.Explanation;
import dev.chatops.core.spi.PastedText;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pasted log lines in Slack: {@code /nginx502 explain} followed by lines (or a code block) answers the caller
 * alone, and the message shortcut "Diagnose with nginx502" (callback id {@code nginx502_explain}) on any
 * message answers in that message's thread. Both are checked against {@code access:} like a slash command;
 * a refusal posts nothing in the channel, only an ephemeral sentence to the caller. Every request, allowed or
 * refused, leaves an entry in the audit log.
 * No host is contacted: the check reads the lines alone ({@link Check#explain}).
 */
final class ExplainShortcut {

    private static final System.Logger LOG = System.getLogger(ExplainShortcut.class.getName());
    static final String WORD = "explain";
    /** The thread answer may take a few messages; the caller's ephemeral answer one. */
    static final int THREAD_MESSAGES = 3;
    // <http://127.0.0.1:3000/cart> and <http://x|x>: Slack turns URLs in a message into links
    private static final Pattern LINK = Pattern.compile("<((?:https?|mailto|ftp)[^|>\\s]{0,2048}+)(?:\\|([^>]{0,2048}+))?>");

    private final Map<String, String> commands;
    private final Dispatcher dispatcher;
    private final AccessPolicy access;
    private final SlackWebApi api;
    private final Deliveries deliveries;

    ExplainShortcut(Map<String, String> commands, Dispatcher dispatcher, AccessPolicy access, SlackWebApi api,
                    Deliveries deliveries) {
        this.commands = Map.copyOf(requireNonNull(commands, "commands is null"));
        this.dispatcher = requireNonNull(dispatcher, "dispatcher is null");
        this.access = requireNonNull(access, "access is null");
        this.api = requireNonNull(api, "api is null");
        this.deliveries = requireNonNull(deliveries, "deliveries is null");
    }

    /** {@code nginx502_explain} for the check {@code nginx502}. */
    static String callbackId(String check) {
        return check + "_explain";
    }

    /** The callback ids of the shortcuts, one per configured check. */
    Set<String> callbackIds() {
        Set<String> out = new LinkedHashSet<>();
        commands.values().stream().sorted().forEach(c -> out.add(callbackId(c)));
        return out;
    }

    void register(App app) {
        for (String check : new LinkedHashSet<>(commands.values())) {
            app.messageShortcut(callbackId(check), (req, ctx) -> shortcut(check, req, ctx));
        }
    }

    /**
     * The caller's answer to {@code /command explain …}; empty when the text is not an explain request, so
     * the command goes on as a check.
     */
    Optional<SlackMessage> command(String command, String text, String user, String channel) {
        String t = text.stripLeading();
        if (!t.regionMatches(true, 0, WORD, 0, WORD.length())
                || (t.length() > WORD.length() && !Character.isWhitespace(t.charAt(WORD.length()))
                        && !t.startsWith("```", WORD.length()))) {
            return Optional.empty();
        }
        String check = commands.getOrDefault(command, "");
        String pasted = t.substring(WORD.length());
        try {
            Check c = allowed(check, Requester.slack(user, channel));
            if (pasted.isBlank()) {
                return Optional.of(SlackMessage.text("Paste the log lines after `" + BlockKit.escape(command) + " "
                        + WORD + "` (a code block is fine), or use the message shortcut *Diagnose with " + BlockKit.escape(check)
                        + "* on a message that holds them. No host is contacted."));
            }
            Explanation x = explain(c, pasted);
            dispatcher.recordExplained(Requester.slack(user, channel), c.name(), x.diagnosis().verdict());
            return Optional.of(ExplainMessages.answer(c.name(), x, 1).get(0));
        } catch (BotException e) {
            dispatcher.recordRefusal(Requester.slack(user, channel), check, "", e);
            return Optional.of(SlackMessage.text("⚠️ " + BlockKit.quoteKeepingMentions(e.getMessage())));
        }
    }

    private Response shortcut(String check, MessageShortcutRequest req, MessageShortcutContext ctx) {
        MessageShortcutPayload p = req.getPayload();
        String user = p.getUser() == null ? "" : nonNull(p.getUser().getId());
        String channel = p.getChannel() == null ? "" : nonNull(p.getChannel().getId());
        String responseUrl = nonNull(p.getResponseUrl());
        String text = p.getMessage() == null ? "" : nonNull(p.getMessage().getText());
        String messageTs = p.getMessage() == null ? nonNull(p.getMessageTs()) : nonNull(p.getMessage().getTs());
        String threadTs = p.getMessage() == null || p.getMessage().getThreadTs() == null ? messageTs
                : p.getMessage().getThreadTs();
        Requester requester = Requester.slack(user, channel);
        // the answer is worked out and posted after the ack, which Slack wants within 3 s
        CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
            try {
                Check c = allowed(check, requester);
                if (text.isBlank()) {
                    tell(responseUrl, "That message holds no text to read (a file or an image?): paste the lines "
                            + "as text or in a code block, then use the shortcut on it.");
                    return;
                }
                Explanation x = explain(c, text);
                dispatcher.recordExplained(requester, c.name(), x.diagnosis().verdict());
                answerInThread(c, x, channel, threadTs, responseUrl);
            } catch (BotException e) {
                dispatcher.recordRefusal(requester, check, "", e);
                tell(responseUrl, "⚠️ " + BlockKit.quoteKeepingMentions(e.getMessage()));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "explaining a message for " + user + " in " + channel + " failed", e);
                tell(responseUrl, "⚠️ Reading those lines failed inside the bot; the bot's log says why.");
            }
        }, deliveries.executor());
        deliveries.track(done);
        return ctx.ack();
    }

    /** The check, once the caller may use it here. */
    private Check allowed(String check, Requester requester) {
        if (check.isEmpty()) {
            throw BotException.badInput("this command is not configured; configured commands: "
                    + String.join(", ", commands.keySet().stream().sorted().toList()));
        }
        Check c = dispatcher.check(check);
        access.check(requester);
        return c;
    }

    private static Explanation explain(Check c, String slackText) {
        return c.explain(PastedText.of(plain(slackText))).orElseThrow(() -> BotException.badInput("check " + c.name()
                + " does not read pasted log lines; run it on a host instead"));
    }

    private void answerInThread(Check c, Explanation x, String channel, String threadTs, String responseUrl) {
        List<SlackMessage> answer = ExplainMessages.answer(c.name(), x, THREAD_MESSAGES);
        try {
            postAll(channel, threadTs, answer);
        } catch (SlackCallException e) {
            if (e.error().equals("not_in_channel")) {
                try {
                    api.join(channel);
                    postAll(channel, threadTs, answer);
                    return;
                } catch (SlackCallException again) {
                    e = again;
                }
            }
            LOG.log(System.Logger.Level.INFO, "cannot answer in the thread of " + threadTs + " in " + channel + ": "
                    + e.getMessage());
            try {
                api.respond(responseUrl, ExplainMessages.answer(c.name(), x, 1).get(0), false);
            } catch (SlackCallException lost) {
                LOG.log(System.Logger.Level.WARNING, "the answer to a shortcut in " + channel + " could not be "
                        + "delivered: " + lost.getMessage());
            }
        }
    }

    private void postAll(String channel, String threadTs, List<SlackMessage> messages) throws SlackCallException {
        for (SlackMessage m : messages) {
            api.post(channel, Optional.of(threadTs), m);
        }
    }

    private void tell(String responseUrl, String mrkdwn) {
        try {
            api.respond(responseUrl, SlackMessage.text(mrkdwn), false);
        } catch (SlackCallException e) {
            LOG.log(System.Logger.Level.WARNING, "could not tell the caller: " + e.getMessage());
        }
    }

    /**
     * The text as it was typed: Slack escapes {@code & < >} in message text and turns URLs into
     * {@code <url|text>} links, which would hide the {@code upstream: "http://…"} of an nginx line.
     */
    static String plain(String slackText) {
        Matcher m = LINK.matcher(slackText);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(2) != null ? m.group(2) : m.group(1)));
        }
        m.appendTail(sb);
        return sb.toString().replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
