package dev.chatops.adapters.slack;

import static java.util.Objects.requireNonNull;

import dev.chatops.adapters.render.TextRenderer;
import dev.chatops.core.dispatch.DispatchListener;
import dev.chatops.core.error.BotException;
import dev.chatops.core.redact.Redactor;
import dev.chatops.core.report.Report;
import dev.chatops.core.run.CheckRun;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * What follows an accepted slash command: a parent message in the channel, the report in the
 * parent's thread once the dispatcher answers, with the report's buttons under it, and the parent
 * updated to the verdict. A re-run from a report's button continues that report's thread instead:
 * the new report goes in it and the parent shows the newest verdict. While the run waits in the
 * dispatcher's queue, the parent says so and where it stands in line.
 *
 * <p>Nothing here waits for a run: each Slack call is a step on the {@link Deliveries} threads,
 * and the steps of one conversation happen one after another in the order they were asked for,
 * so the verdict can never be overwritten by a late "queued".
 *
 * <p>When the bot cannot post in the channel it joins it if Slack lets it (public channels), else
 * it answers through the command's {@code response_url} and tells the caller to invite it. When
 * the thread cannot take the report, the caller gets it through the {@code response_url}; when
 * that fails too, it goes to the log. A report is never silently lost.
 */
final class CheckConversation implements DispatchListener {

    private static final System.Logger LOG = System.getLogger(CheckConversation.class.getName());
    static final int THREAD_MESSAGES = 10;
    /** Slack takes five answers per response_url; one of them may say why the answer comes that way. */
    static final int RESPONSE_URL_MESSAGES = 4;

    private final Conversation c;
    private final SlackWebApi api;
    private final ReportMessages messages;
    private final String botUserId;
    private final Deliveries deliveries;
    private final ReportActions actions;
    private final Optional<String> thread;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private CompletableFuture<Void> lastStep = CompletableFuture.completedFuture(null);
    /** Where the run stands in line; 0 once it runs (or never waited). */
    private volatile int position;
    // read and written only by steps, which never overlap
    private Optional<String> parent = Optional.empty();
    private SlackMessage shown;
    private boolean answered;

    /**
     * @param actions the buttons under the report
     * @param thread  the parent of an earlier report on the host, to post in; empty for a new parent
     */
    CheckConversation(Conversation conversation, SlackWebApi api, ReportMessages messages, String botUserId,
                      Deliveries deliveries, ReportActions actions, Optional<String> thread) {
        this.c = requireNonNull(conversation, "conversation is null");
        this.api = requireNonNull(api, "api is null");
        this.messages = requireNonNull(messages, "messages is null");
        this.botUserId = requireNonNull(botUserId, "botUserId is null");
        this.deliveries = requireNonNull(deliveries, "deliveries is null");
        this.actions = requireNonNull(actions, "actions is null");
        this.thread = requireNonNull(thread, "thread is null");
    }

    /** The id of the request this conversation follows, which its report is kept under. */
    String requestId() {
        return c.requestId();
    }

    /**
     * Posts the parent, then the report once {@code answer} completes. Returns at once; the
     * returned future completes when the conversation is over.
     */
    CompletableFuture<Void> follow(CompletableFuture<CheckRun> answer) {
        requireNonNull(answer, "answer is null");
        deliveries.track(done);
        then(this::openParent);
        answer.whenComplete((run, failure) -> then(() -> finish(run, failure)));
        return done;
    }

    @Override
    public void queued(int position) {
        this.position = position;
        then(this::showProgress);
    }

    @Override
    public void started() {
        this.position = 0;
        then(this::showProgress);
    }

    private synchronized void then(Runnable step) {
        Runnable guarded = () -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                // the caller already has the ack; one step failing must not stop the next
                LOG.log(System.Logger.Level.ERROR, "the conversation for " + c.command() + " " + c.host() + " by "
                        + c.user() + " in " + c.channel() + " failed", e);
            }
        };
        lastStep = lastStep.thenRunAsync(guarded, deliveries.executor());
    }

    private SlackMessage progress() {
        int p = position;
        return p > 0 ? messages.queued(c, p) : messages.running(c);
    }

    private void showProgress() {
        if (answered || parent.isEmpty()) {
            return;
        }
        SlackMessage now = progress();
        if (!now.equals(shown)) {
            update(parent.get(), now);
            shown = now;
        }
    }

    private void finish(CheckRun run, Throwable failure) {
        answered = true;
        try {
            if (failure == null) {
                Report report = run.report();
                LOG.log(System.Logger.Level.INFO, "Slack " + c.command() + " " + c.host() + " by " + c.user() + " in "
                        + c.channel() + ": " + report.verdict().id() + (report.cached() ? " (cached)" : "") + " in "
                        + report.durationMs() + " ms");
                if (parent.isPresent()) {
                    deliver(parent.get(), run);
                } else {
                    answerCaller(report, true);
                }
                return;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof BotException e) {
                fail(parent, e.getMessage());
            } else {
                LOG.log(System.Logger.Level.ERROR, "check " + c.check() + " on " + c.host() + " failed", cause);
                fail(parent, "the bot failed while running the check (" + cause.getClass().getSimpleName()
                        + "); the bot's log has the details");
            }
        } finally {
            done.complete(null);
        }
    }

    /** Posts the parent message, joining the channel first if that is what it takes; empty when it cannot. */
    private void openParent() {
        shown = progress();
        if (thread.isPresent()) {
            parent = thread;
            update(thread.get(), shown);
            return;
        }
        parent = postParent(shown);
    }

    private Optional<String> postParent(SlackMessage first) {
        try {
            return Optional.of(api.post(c.channel(), Optional.empty(), first));
        } catch (SlackCallException e) {
            if (!e.error().equals("not_in_channel")) {
                LOG.log(System.Logger.Level.WARNING, "cannot post in " + c.channel() + ": " + e.getMessage());
                tellCaller("⚠️ I cannot post in this channel (Slack says `" + BlockKit.escape(e.error())
                        + "`), so the report comes here instead of in a thread.");
                return Optional.empty();
            }
        }
        try {
            api.join(c.channel());
            return Optional.of(api.post(c.channel(), Optional.empty(), first));
        } catch (SlackCallException e) {
            LOG.log(System.Logger.Level.INFO, "not a member of " + c.channel() + " and cannot join it: " + e.getMessage());
            tellCaller("⚠️ I am not a member of this channel and cannot join it (Slack says `"
                    + BlockKit.escape(e.error()) + "`; private channels need an invitation), so the report comes here "
                    + "instead of in a thread. Invite me with `/invite <@" + botUserId + ">` to get threads.");
            return Optional.empty();
        }
    }

    private void deliver(String parentTs, CheckRun run) {
        Report report = run.report();
        List<SlackMessage> replies = actions.withButtons(c, run, messages.thread(c.command(), report, THREAD_MESSAGES));
        try {
            for (SlackMessage m : replies) {
                api.post(c.channel(), Optional.of(parentTs), m);
            }
        } catch (SlackCallException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot post the report in the thread of " + parentTs + " in "
                    + c.channel() + ": " + e.getMessage());
            answerCaller(report, false);
            update(parentTs, messages.undelivered(c, report, e.error()));
            return;
        }
        update(parentTs, messages.verdict(c, report));
    }

    /** The report through the response_url; into the log if even that fails. */
    private void answerCaller(Report report, boolean inChannel) {
        try {
            for (SlackMessage m : messages.thread(c.command(), report, RESPONSE_URL_MESSAGES)) {
                api.respond(c.responseUrl(), m, inChannel);
            }
        } catch (SlackCallException e) {
            LOG.log(System.Logger.Level.WARNING, "the report for " + c.command() + " " + c.host() + " asked by "
                    + c.user() + " in " + c.channel() + " could not be delivered (" + e.getMessage() + "); here it is:\n"
                    + Redactor.redact(new TextRenderer().render(report)));
        }
    }

    private void fail(Optional<String> parent, String why) {
        SlackMessage failed = messages.failed(c, why);
        if (parent.isPresent()) {
            try {
                api.post(c.channel(), parent, failed);
            } catch (SlackCallException e) {
                tellCaller(failed.text());
            }
            update(parent.get(), failed);
        } else {
            tellCaller(failed.text());
        }
    }

    private void update(String ts, SlackMessage message) {
        try {
            api.update(c.channel(), ts, message);
        } catch (SlackCallException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot update message " + ts + " in " + c.channel() + ": "
                    + e.getMessage());
        }
    }

    private void tellCaller(String mrkdwn) {
        try {
            api.respond(c.responseUrl(), SlackMessage.text(mrkdwn), false);
        } catch (SlackCallException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot answer " + c.user() + " through response_url: " + e.getMessage()
                    + "; the message was: " + mrkdwn);
        }
    }
}
