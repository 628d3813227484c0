package dev.chatops.adapters.slack;

import static java.util.Objects.requireNonNull;

import dev.chatops.adapters.render.TextRenderer;
import dev.chatops.core.dispatch.CheckRequest;
import dev.chatops.core.dispatch.Requester;
import dev.chatops.core.error.BotException;
import dev.chatops.core.redact.Redactor;
import dev.chatops.core.report.Report;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What follows an accepted slash command, on a worker thread: a parent message in the channel,
 * the check run, the report in the parent's thread, and the parent updated to the verdict.
 *
 * <p>When the bot cannot post in the channel it joins it if Slack lets it (public channels), else
 * it answers through the command's {@code response_url} and tells the caller to invite it. When
 * the thread cannot take the report, the caller gets it through the {@code response_url}; when
 * that fails too, it goes to the log. A report is never silently lost.
 */
final class CheckConversation implements Runnable {

    private static final System.Logger LOG = System.getLogger(CheckConversation.class.getName());
    static final int THREAD_MESSAGES = 10;
    /** Slack takes five answers per response_url; one of them may say why the answer comes that way. */
    static final int RESPONSE_URL_MESSAGES = 4;

    private final Conversation c;
    private final SlackWebApi api;
    private final CheckRuns runs;
    private final ReportMessages messages;
    private final String botUserId;

    CheckConversation(Conversation conversation, SlackWebApi api, CheckRuns runs, ReportMessages messages,
                      String botUserId) {
        this.c = requireNonNull(conversation, "conversation is null");
        this.api = requireNonNull(api, "api is null");
        this.runs = requireNonNull(runs, "runs is null");
        this.messages = requireNonNull(messages, "messages is null");
        this.botUserId = requireNonNull(botUserId, "botUserId is null");
    }

    @Override
    public void run() {
        try {
            converse();
        } catch (RuntimeException e) {
            // a worker must survive whatever one conversation does; the caller already has the ack
            LOG.log(System.Logger.Level.ERROR, "the conversation for " + c.command() + " " + c.host() + " by " + c.user()
                    + " in " + c.channel() + " failed", e);
        }
    }

    private void converse() {
        Optional<String> parent = openParent();
        Report report;
        try {
            report = runs.run(new CheckRequest(c.check(), c.host(), c.fresh(), Requester.slack(c.user(), c.channel())),
                    progress(parent)).report();
        } catch (BotException e) {
            fail(parent, e.getMessage());
            return;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "check " + c.check() + " on " + c.host() + " failed", e);
            fail(parent, "the bot failed while running the check (" + e.getClass().getSimpleName()
                    + "); the bot's log has the details");
            return;
        }
        LOG.log(System.Logger.Level.INFO, "Slack " + c.command() + " " + c.host() + " by " + c.user() + " in "
                + c.channel() + ": " + report.verdict().id() + " in " + report.durationMs() + " ms");
        if (parent.isPresent()) {
            deliver(parent.get(), report);
        } else {
            answerCaller(report, true);
        }
    }

    /** Shows in the parent message that the run waits in line, and that it left the line. */
    private CheckRuns.QueueListener progress(Optional<String> parent) {
        AtomicBoolean waited = new AtomicBoolean();
        return new CheckRuns.QueueListener() {
            @Override
            public void queued(int position) {
                waited.set(true);
                parent.ifPresent(ts -> update(ts, messages.queued(c, position)));
            }

            @Override
            public void started() {
                if (waited.get()) {
                    parent.ifPresent(ts -> update(ts, messages.running(c)));
                }
            }
        };
    }

    /** Posts the parent message, joining the channel first if that is what it takes; empty when it cannot. */
    private Optional<String> openParent() {
        try {
            return Optional.of(api.post(c.channel(), Optional.empty(), messages.running(c)));
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
            return Optional.of(api.post(c.channel(), Optional.empty(), messages.running(c)));
        } catch (SlackCallException e) {
            LOG.log(System.Logger.Level.INFO, "not a member of " + c.channel() + " and cannot join it: " + e.getMessage());
            tellCaller("⚠️ I am not a member of this channel and cannot join it (Slack says `"
                    + BlockKit.escape(e.error()) + "`; private channels need an invitation), so the report comes here "
                    + "instead of in a thread. Invite me with `/invite <@" + botUserId + ">` to get threads.");
            return Optional.empty();
        }
    }

    private void deliver(String parentTs, Report report) {
        List<SlackMessage> thread = messages.thread(c, report, THREAD_MESSAGES);
        try {
            for (SlackMessage m : thread) {
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
            for (SlackMessage m : messages.thread(c, report, RESPONSE_URL_MESSAGES)) {
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
