package dev.chatops.adapters.slack;

import static java.util.Objects.requireNonNull;

import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.bolt.App;
import com.slack.api.bolt.context.builtin.ActionContext;
import com.slack.api.bolt.request.builtin.BlockActionRequest;
import com.slack.api.bolt.response.Response;
import com.slack.api.model.Message;
import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.element.ButtonElement;
import dev.chatops.core.dispatch.AccessPolicy;
import dev.chatops.core.dispatch.CheckRequest;
import dev.chatops.core.dispatch.Dispatcher;
import dev.chatops.core.dispatch.Requester;
import dev.chatops.core.error.BotException;
import dev.chatops.core.evidence.EvidenceFile;
import dev.chatops.core.history.Answer;
import dev.chatops.core.history.History;
import dev.chatops.core.history.HistoryWriter;
import dev.chatops.core.history.StoredReport;
import dev.chatops.core.limit.BusyException;
import dev.chatops.core.report.Report;
import dev.chatops.core.run.CheckRun;
import dev.chatops.core.spi.Verdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The buttons under every report in a thread, and what they do. {@code Re-run fresh} runs the
 * same check on the same host past the cache and posts the new report in the same thread;
 * {@code Check siblings} checks the other hosts of the host's first tag ({@link SiblingsCheck});
 * {@code Evidence file} uploads the redacted evidence {@code replay} reads; {@code This was it} and
 * {@code Not it} record an engineer's answer about the leading cause in the audit log and the
 * history store, and the buttons then show it.
 *
 * <p>A click is held to {@code access:} like a command, by the user who clicked in the channel of
 * the message (Bolt has checked the request's signature before it gets here). A refusal posts
 * nothing anyone else sees: the clicker gets one ephemeral sentence, and the audit log the refusal.
 * Runs go through the dispatcher, so clicks share the cache, the limits and the audit log with
 * commands. The ack comes at once; the work happens on the posting threads.
 *
 * <p>Buttons on a report older than {@link #BUTTONS_LAST} no longer act on it: an old thread
 * says nothing true about the host now, so the clicker is told so and offered a fresh run.
 */
final class ReportActions {

    static final String PREFIX = "report.";
    static final String BLOCK_ID = "report-actions";
    static final String ANSWER_BLOCK_ID = "report-answer";
    static final Duration BUTTONS_LAST = Duration.ofDays(1);
    private static final Pattern ACTION_IDS = Pattern.compile("^report\\.[a-z]+$");
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SHOWN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final System.Logger LOG = System.getLogger(ReportActions.class.getName());

    private final Dispatcher dispatcher;
    private final AccessPolicy access;
    private final SlackWebApi api;
    private final ReportMessages messages;
    private final String botUserId;
    private final Deliveries deliveries;
    private final Map<String, String> commands;
    private final Optional<HistoryWriter> history;
    private final KeptEvidence evidence;
    private final SiblingsCheck siblings;
    private final Clock clock;

    /**
     * @param commands slash command to check name, to name the command a re-run stands for
     * @param history  where answers are kept and reports are looked up (the dispatcher's owner keeps every
     *                 report in it); without one, answers go to the audit log only
     * @param evidence the evidence of the reports posted lately, for the "Evidence file" button
     * @param siblings how many other hosts "Check siblings" checks at most ({@code limits.siblings})
     */
    ReportActions(Dispatcher dispatcher, AccessPolicy access, SlackWebApi api, ReportMessages messages,
                  String botUserId, Deliveries deliveries, Map<String, String> commands, Optional<History> history,
                  KeptEvidence evidence, int siblings, Clock clock) {
        this.dispatcher = requireNonNull(dispatcher, "dispatcher is null");
        this.access = requireNonNull(access, "access is null");
        this.api = requireNonNull(api, "api is null");
        this.messages = requireNonNull(messages, "messages is null");
        this.botUserId = requireNonNull(botUserId, "botUserId is null");
        this.deliveries = requireNonNull(deliveries, "deliveries is null");
        this.commands = Map.copyOf(requireNonNull(commands, "commands is null"));
        this.history = requireNonNull(history, "history is null").map(HistoryWriter::new);
        this.evidence = requireNonNull(evidence, "evidence is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.siblings = new SiblingsCheck(dispatcher, api, deliveries, siblings);
    }

    void register(App app) {
        app.blockAction(ACTION_IDS, this::handle);
    }

    /** What follows a request in a thread: a new one in the channel, or another report in {@code thread}. */
    CheckConversation conversation(Conversation c, Optional<String> thread) {
        return new CheckConversation(c, api, messages, botUserId, deliveries, this, thread);
    }

    /**
     * The report's thread messages with the buttons under the last one, which name the report by
     * the request's id (the history keeps it under that id). Keeps the report's evidence for the
     * "Evidence file" button.
     */
    List<SlackMessage> withButtons(Conversation c, CheckRun run, List<SlackMessage> thread) {
        Report report = run.report();
        String id = c.requestId();
        String causeId = leadingCause(report);
        evidence.keep(id, report.collectedAt(), run.evidence().map(EvidenceFile::toRedactedJson));
        List<SlackMessage> out = new ArrayList<>(thread);
        SlackMessage last = out.remove(out.size() - 1);
        List<LayoutBlock> blocks = new ArrayList<>(last.blocks());
        blocks.add(buttons(Click.value(id, report.check(), report.host(), causeId), !causeId.isEmpty(),
                Optional.empty()));
        out.add(new SlackMessage(last.text(), blocks));
        return out;
    }

    static String leadingCause(Report r) {
        return r.verdict() == Verdict.CAUSE_FOUND && !r.causes().isEmpty() ? r.causes().get(0).id() : "";
    }

    /**
     * The actions block: the three that act on the host, and the answer pair when there is a cause
     * to answer about, the one chosen marked.
     */
    static ActionsBlock buttons(String value, boolean answerable, Optional<Boolean> chosen) {
        List<BlockElement> elements = new ArrayList<>();
        elements.add(button("rerun", "🔁 Re-run fresh", value, Optional.empty()));
        elements.add(button("siblings", "👥 Check siblings", value, Optional.empty()));
        elements.add(button("evidence", "📎 Evidence file", value, Optional.empty()));
        if (answerable) {
            boolean yes = chosen.orElse(false);
            boolean no = chosen.map(c -> !c).orElse(false);
            elements.add(button("confirm", (yes ? "✓ " : "") + "This was it", value,
                    yes ? Optional.of("primary") : Optional.empty()));
            elements.add(button("reject", (no ? "✓ " : "") + "Not it", value,
                    no ? Optional.of("danger") : Optional.empty()));
        }
        return ActionsBlock.builder().blockId(BLOCK_ID).elements(elements).build();
    }

    private static ButtonElement button(String action, String label, String value, Optional<String> style) {
        return ButtonElement.builder().actionId(PREFIX + action).value(value).style(style.orElse(null))
                .text(PlainTextObject.builder().text(label).emoji(true).build()).build();
    }

    private Response handle(BlockActionRequest request, ActionContext ctx) {
        BlockActionPayload p = request.getPayload();
        Optional<Click> click = Optional.ofNullable(p.getActions()).filter(a -> a.size() == 1)
                .flatMap(a -> Click.parse(a.get(0).getActionId(), a.get(0).getValue(),
                        p.getUser() == null ? null : p.getUser().getId(),
                        p.getChannel() == null ? null : p.getChannel().getId(),
                        p.getContainer() == null || p.getContainer().isEphemeral() ? ""
                                : p.getContainer().getMessageTs(),
                        p.getMessage() != null && p.getMessage().getThreadTs() != null ? p.getMessage().getThreadTs()
                                : p.getContainer() == null ? "" : p.getContainer().getThreadTs(),
                        p.getResponseUrl()));
        if (click.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "ignored a button press that is not one of the report buttons");
            return ctx.ack();
        }
        Optional<Message> message = Optional.ofNullable(p.getMessage());
        CompletableFuture<Void> done = new CompletableFuture<>();
        deliveries.track(done);
        CompletableFuture.runAsync(() -> {
            try {
                act(click.get(), message);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "the " + click.get().action() + " button on " + click.get().host()
                        + " pressed by " + click.get().user() + " failed", e);
            } finally {
                done.complete(null);
            }
        }, deliveries.executor());
        return ctx.ack();
    }

    private void act(Click click, Optional<Message> message) {
        Requester who = Requester.slack(click.user(), click.channel());
        try {
            access.check(who);
        } catch (BotException e) {
            dispatcher.recordRefusal(who, click.check(), click.host(), e);
            tell(click, refusal(e));
            return;
        }
        if (!click.action().equals("fresh") && isOld(click)) {
            offerFresh(click);
            return;
        }
        switch (click.action()) {
            case "rerun" -> run(click, who, click.thread());
            case "fresh" -> run(click, who, Optional.empty());
            case "siblings" -> siblings.start(click, who).ifPresent(why -> tell(click, why));
            case "evidence" -> uploadEvidence(click, who);
            case "confirm" -> answer(click, who, true, message);
            case "reject" -> answer(click, who, false, message);
            default -> throw new IllegalStateException("unexpected action " + click.action());
        }
    }

    /** By when the report was collected, if known; else by when its message was posted. */
    private boolean isOld(Click click) {
        Optional<Instant> at = evidence.collectedAt(click.reportId());
        if (at.isEmpty() && history.isPresent()) {
            at = history.get().attempt("read reports", () -> history.get().history().report(click.reportId()))
                    .flatMap(r -> r).map(StoredReport::at);
        }
        if (at.isEmpty()) {
            at = click.messageTs().or(click::thread).map(ts -> Instant.ofEpochSecond(Long.parseLong(ts.split("\\.")[0])));
        }
        return at.map(t -> t.plus(BUTTONS_LAST).isBefore(clock.instant())).orElse(true);
    }

    private void offerFresh(Click click) {
        String host = BlockKit.quote(click.host());
        String when = evidence.collectedAt(click.reportId()).map(SHOWN_TIME::format).map(t -> " (" + t + ")")
                .orElse("");
        String text = "🕰️ That report on *" + host + "*" + when + " is more than a day old, so its buttons no longer "
                + "act on it. Check " + host + " now for a report that says how it is today.";
        List<LayoutBlock> blocks = List.of(
                SectionBlock.builder().text(MarkdownTextObject.builder().text(text).build()).build(),
                ActionsBlock.builder().blockId(BLOCK_ID).elements(List.of(button("fresh",
                        BlockKit.clip("🔁 Check " + click.host() + " now", 75),
                        Click.value(click.reportId(), click.check(), click.host(), click.causeId()),
                        Optional.of("primary")))).build());
        ephemeral(click, new SlackMessage(text, blocks));
    }

    /** The same check on the same host, past the cache: in the report's thread, or as a new one. */
    private void run(Click click, Requester who, Optional<String> thread) {
        Conversation c = new Conversation(commandFor(click.check()), click.check(), click.host(), true, click.user(),
                click.channel(), click.responseUrl());
        CheckConversation conversation = conversation(c, thread);
        CompletableFuture<CheckRun> answer;
        try {
            answer = dispatcher.submit(new CheckRequest(click.check(), click.host(), true, who, c.requestId()),
                    conversation);
        } catch (BotException e) {
            tell(click, refusal(e));
            return;
        }
        conversation.follow(answer);
    }

    private String commandFor(String check) {
        return commands.entrySet().stream().filter(e -> e.getValue().equals(check)).map(Map.Entry::getKey).sorted()
                .findFirst().orElse("/" + check);
    }

    private void uploadEvidence(Click click, Requester who) {
        Optional<String> thread = click.thread();
        KeptEvidence.Lookup found = evidence.find(click.reportId());
        if (found instanceof KeptEvidence.Lookup.None) {
            tell(click, "There is no evidence file for that report: " + BlockKit.quote(click.host())
                    + " could not be reached, so nothing was collected.");
            return;
        }
        if (!(found instanceof KeptEvidence.Lookup.Kept kept)) {
            tell(click, "The evidence of that report is gone: the bot keeps the evidence of its last "
                    + evidence.maxReports() + " reports, in memory, until it restarts. Press 🔁 Re-run fresh for a "
                    + "new report with its evidence.");
            return;
        }
        String name = click.check() + "-" + click.host() + "-" + FILE_TIME.format(kept.collectedAt()) + ".json";
        try {
            api.upload(click.channel(), thread.orElse(null), name, name, kept.json(),
                    "Evidence of " + BlockKit.quote(click.check()) + " on *" + BlockKit.quote(click.host())
                            + "*, secrets redacted, for <@" + click.user() + ">: `replay " + BlockKit.quote(click.check())
                            + " --evidence " + BlockKit.quote(name) + "` shows the report again");
        } catch (SlackCallException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot upload the evidence of " + click.host() + " to "
                    + click.channel() + ": " + e.getMessage());
            tell(click, "⚠️ I could not upload the evidence file (Slack says `" + BlockKit.escape(e.error())
                    + "`); the bot needs the files:write scope and to be a member of this channel.");
            return;
        }
        dispatcher.recordAction(who, click.check(), click.host(), "uploaded the evidence file " + name + " of report "
                + click.reportId());
    }

    private void answer(Click click, Requester who, boolean confirmed, Optional<Message> message) {
        if (click.causeId().isEmpty()) {
            return;
        }
        String what = (confirmed ? "confirmed" : "rejected") + " cause " + click.causeId() + " of report "
                + click.reportId();
        Answer answer = new Answer(click.reportId(), click.check(), click.causeId(), click.user(), confirmed,
                clock.instant());
        boolean kept = history.map(h -> h.attempt("keep answers", () -> {
            h.history().saveAnswer(answer);
            return true;
        }).isPresent()).orElse(true);
        dispatcher.recordAction(who, click.check(), click.host(), what);
        if (!kept) {
            tell(click, "⚠️ Your answer is in the audit log, but the history store could not keep it, so the cause "
                    + "counts miss it; the bot's log says why.");
        }
        if (click.messageTs().isEmpty() || message.isEmpty() || message.get().getBlocks() == null) {
            return;
        }
        List<LayoutBlock> blocks = new ArrayList<>();
        for (LayoutBlock b : message.get().getBlocks()) {
            if (!BLOCK_ID.equals(b.getBlockId()) && !ANSWER_BLOCK_ID.equals(b.getBlockId())) {
                blocks.add(b);
            }
        }
        String said = (confirmed ? "✅ <@" + click.user() + "> says this was it: `"
                : "❌ <@" + click.user() + "> says it was not `") + BlockKit.quote(click.causeId()) + "`";
        blocks.add(ContextBlock.builder().blockId(ANSWER_BLOCK_ID)
                .elements(List.of(MarkdownTextObject.builder().text(said).build())).build());
        blocks.add(buttons(Click.value(click.reportId(), click.check(), click.host(), click.causeId()), true,
                Optional.of(confirmed)));
        String text = Optional.ofNullable(message.get().getText()).filter(t -> !t.isBlank()).orElse(said);
        try {
            api.update(click.channel(), click.messageTs().get(), new SlackMessage(text, blocks));
        } catch (SlackCallException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot show the answer on message " + click.messageTs().get() + " in "
                    + click.channel() + ": " + e.getMessage());
        }
    }

    static String refusal(BotException e) {
        return (e instanceof BusyException ? "⏳ " : "⚠️ ") + BlockKit.quoteKeepingMentions(e.getMessage());
    }

    private void tell(Click click, String mrkdwn) {
        ephemeral(click, SlackMessage.text(mrkdwn));
    }

    /** Only the clicker sees it; when even that fails, the log has it. */
    private void ephemeral(Click click, SlackMessage message) {
        try {
            api.postEphemeral(click.channel(), click.thread(), click.user(), message);
        } catch (SlackCallException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot tell " + click.user() + " in " + click.channel() + " ("
                    + e.getMessage() + "): " + message.text());
        }
    }
}
