package dev.chatops.adapters.slack;

import static java.util.Objects.requireNonNull;

import com.slack.api.app_backend.slash_commands.payload.SlashCommandPayload;
import com.slack.api.bolt.App;
import com.slack.api.bolt.context.builtin.SlashCommandContext;
import com.slack.api.bolt.request.builtin.SlashCommandRequest;
import com.slack.api.bolt.response.Response;
import dev.chatops.adapters.render.HistoryText;
import dev.chatops.core.dispatch.AccessPolicy;
import dev.chatops.core.dispatch.CheckRequest;
import dev.chatops.core.dispatch.CommandText;
import dev.chatops.core.dispatch.Dispatcher;
import dev.chatops.core.dispatch.Requester;
import dev.chatops.core.error.BotException;
import dev.chatops.core.history.History;
import dev.chatops.core.history.HistoryException;
import dev.chatops.core.history.StoredReport;
import dev.chatops.core.limit.BusyException;
import dev.chatops.core.run.CheckRun;
import dev.chatops.core.spi.Check;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Answers the configured slash commands. The answer (Slack's "ack", which must come within 3 s)
 * is decided here without touching any host: help, a refusal saying what is wrong and what is
 * allowed, or "Checking web-03…" with the request handed to the {@link Dispatcher}, which serves
 * it from the cache, joins a run in flight or queues one within the bot's limits, and refuses it
 * when too many wait. The run and the conversation that follows never hold up the ack.
 *
 * <p>Every refusal reaches the audit log: those the dispatcher makes it records itself; those made
 * here (text that does not parse, a command whose check is not loaded) are handed to it.
 */
final class SlashCommands {

    private static final int MAX_LISTED = 40;
    /** How many reports {@code history} lists in Slack; the command line lists more. */
    static final int HISTORY_ROWS = 25;

    private final Map<String, String> commands;
    private final Dispatcher dispatcher;
    private final AccessPolicy access;
    private final Function<Conversation, CheckConversation> conversations;
    private final Optional<History> history;
    private final Clock clock;

    /** Commands without {@code history}: the bot keeps none. */
    SlashCommands(Map<String, String> commands, Dispatcher dispatcher, AccessPolicy access,
                  Function<Conversation, CheckConversation> conversations) {
        this(commands, dispatcher, access, conversations, Optional.empty(), Clock.systemUTC());
    }

    /**
     * @param commands      slash command to check name, from the {@code commands:} config
     * @param access        who may run checks where; help uses it to say which hosts a channel may check
     * @param conversations what follows an accepted command
     * @param history       what {@code history <host>} reads
     */
    SlashCommands(Map<String, String> commands, Dispatcher dispatcher, AccessPolicy access,
                  Function<Conversation, CheckConversation> conversations, Optional<History> history, Clock clock) {
        this.history = requireNonNull(history, "history is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.commands = Map.copyOf(requireNonNull(commands, "commands is null"));
        this.dispatcher = requireNonNull(dispatcher, "dispatcher is null");
        this.access = requireNonNull(access, "access is null");
        this.conversations = requireNonNull(conversations, "conversations is null");
    }

    void register(App app) {
        commands.keySet().forEach(command -> app.command(command, this::handle));
    }

    private Response handle(SlashCommandRequest request, SlashCommandContext ctx) {
        SlashCommandPayload p = request.getPayload();
        String answer = answer(p.getCommand(), Optional.ofNullable(p.getText()).orElse(""), nonNull(p.getUserId()),
                nonNull(p.getChannelId()), nonNull(p.getResponseUrl()));
        return ctx.ack(r -> r.responseType("ephemeral").text(answer));
    }

    /** The ephemeral answer to a command; hands the check to the dispatcher when the command is accepted. */
    String answer(String command, String text, String user, String channel, String responseUrl) {
        Requester requester = Requester.slack(user, channel);
        String checkName = commands.getOrDefault(command, "");
        CommandText.Target target;
        try {
            if (checkName.isEmpty()) {
                throw BotException.badInput("`" + command + "` is not configured; configured commands: "
                        + String.join(", ", commands.keySet().stream().sorted().toList()));
            }
            Check check = dispatcher.check(checkName);
            CommandText parsed = CommandText.parse(command, text);
            if (parsed instanceof CommandText.Help) {
                return help(command, check, requester);
            }
            if (parsed instanceof CommandText.HostHistory h) {
                return history(h, requester);
            }
            target = (CommandText.Target) parsed;
        } catch (BotException e) {
            String[] words = text.isBlank() ? new String[] {""} : text.strip().split("\\s+");
            // for history <host>, the audit line names the host asked about, not the word history
            String typed = words.length > 1 && words[0].equalsIgnoreCase("history") ? words[1] : words[0];
            dispatcher.recordRefusal(requester, checkName, typed, e);
            return refusal(e);
        }
        CheckConversation conversation = conversations.apply(new Conversation(command, checkName, target.host(),
                target.fresh(), user, channel, responseUrl));
        CompletableFuture<CheckRun> answer;
        try {
            // returns at once: a run that cannot start yet waits in the dispatcher's queue, not here
            answer = dispatcher.submit(new CheckRequest(checkName, target.host(), target.fresh(), requester),
                    conversation);
        } catch (BotException e) {
            return refusal(e);
        }
        conversation.follow(answer);
        return "Checking " + BlockKit.escape(target.host()) + (target.fresh() ? " (fresh)" : "") + "…";
    }

    /**
     * A host's kept reports, for whoever may check it from this channel; read while Slack waits for the
     * answer, which a local store gives in milliseconds.
     */
    private String history(CommandText.HostHistory h, Requester requester) {
        if (history.isEmpty()) {
            throw BotException.badInput("this bot keeps no history");
        }
        access.check(requester);
        dispatcher.host(h.host());
        Instant from = clock.instant().minus(h.since());
        List<StoredReport> reports;
        try {
            reports = history.get().reports(h.host(), from, HISTORY_ROWS + 1);
        } catch (HistoryException e) {
            return "⚠️ the history cannot be read right now; the bot's log says why";
        }
        String span = BlockKit.escape(h.host()) + " since " + HistoryText.when(from);
        if (reports.isEmpty()) {
            return "No reports for " + span + ".";
        }
        boolean more = reports.size() > HISTORY_ROWS;
        StringBuilder sb = new StringBuilder("*History of " + span + "*, newest first"
                + (more ? " (the newest " + HISTORY_ROWS + ")" : "") + ":\n");
        HistoryText.reports(more ? reports.subList(0, HISTORY_ROWS) : reports)
                .forEach(l -> sb.append(BlockKit.escape(l)).append('\n'));
        return BlockKit.clip(sb.toString(), BlockKit.MAX_FALLBACK_TEXT);
    }

    private static String refusal(BotException e) {
        return (e instanceof BusyException ? "⏳ " : "⚠️ ") + BlockKit.quoteKeepingMentions(e.getMessage());
    }

    private String help(String command, Check check, Requester requester) {
        StringBuilder sb = new StringBuilder();
        sb.append("*").append(command).append("* · ").append(BlockKit.quote(check.help().strip())).append("\n\n");
        sb.append("Usage: `").append(command).append(" &lt;host&gt;` checks a host; `").append(command)
                .append(" &lt;host&gt; fresh` runs the probes again instead of reusing a recent result; `")
                .append(command).append(" help` shows this.");
        if (history.isPresent()) {
            sb.append(" `").append(command).append(" history &lt;host&gt; [7d]` lists the host's reports of the last "
                    + "day (or the span given).");
        }
        sb.append('\n');
        try {
            access.check(requester);
            sb.append("Hosts this channel may check: ").append(listed(dispatcher.allowlist().names())).append('\n');
        } catch (BotException e) {
            sb.append("⚠️ ").append(BlockKit.quoteKeepingMentions(e.getMessage())).append('\n');
        }
        sb.append("Loaded checks: ").append(listed(dispatcher.registry().names().stream()
                .map(name -> name + commandsFor(name)).toList()));
        return BlockKit.clip(sb.toString(), BlockKit.MAX_FALLBACK_TEXT);
    }

    private String commandsFor(String check) {
        List<String> typed = commands.entrySet().stream().filter(e -> e.getValue().equals(check)).map(Map.Entry::getKey)
                .sorted().toList();
        return typed.isEmpty() ? "" : " (" + String.join(", ", typed) + ")";
    }

    private static String listed(List<String> names) {
        if (names.isEmpty()) {
            return "none";
        }
        List<String> shown = names.subList(0, Math.min(MAX_LISTED, names.size()));
        return String.join(", ", shown.stream().map(n -> "`" + BlockKit.escape(n) + "`").toList())
                + (names.size() > shown.size() ? " and " + (names.size() - shown.size()) + " more" : "");
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
