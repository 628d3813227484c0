package dev.chatops.adapters.slack;

import static java.util.Objects.requireNonNull;

import dev.chatops.adapters.render.TextRenderer;
import dev.chatops.core.redact.Redactor;
import dev.chatops.core.schedule.Schedule;
import dev.chatops.core.sweep.SweepLine;
import dev.chatops.core.sweep.SweepPublisher;
import dev.chatops.core.sweep.SweepResult;
import dev.chatops.core.sweep.SweepSummary;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Posts a scheduled sweep to its channel: the summary as one message (a line per host, worst
 * first, with its verdict's emoji), then the report of each host that is not healthy as a reply
 * in that message's thread, laid out as the answer to a slash command is. Slack calls are retried
 * as everywhere else; a public channel the bot is not in is joined. What cannot be posted goes to
 * the log in full, so a morning check is never silently lost.
 */
final class SlackSweepPublisher implements SweepPublisher {

    private static final System.Logger LOG = System.getLogger(SlackSweepPublisher.class.getName());
    /**
     * The summary of a fleet of over a hundred hosts needs more than one message: the rest goes
     * first in the thread. Ten messages hold several hundred host lines even at their longest.
     */
    static final int SUMMARY_MESSAGES = 10;
    /** Less than a command's thread: a sweep may find many hosts unwell, and each reply is a Slack call. */
    static final int MESSAGES_PER_HOST = 3;

    private final SlackWebApi api;
    private final ReportMessages messages;
    private final Map<String, String> commands;

    /** @param commands slash command to check, so each report says which command re-runs it */
    SlackSweepPublisher(SlackWebApi api, ReportMessages messages, Map<String, String> commands) {
        this.api = requireNonNull(api, "api is null");
        this.messages = requireNonNull(messages, "messages is null");
        this.commands = Map.copyOf(requireNonNull(commands, "commands is null"));
    }

    @Override
    public void publish(Schedule schedule, SweepResult result) {
        requireNonNull(schedule, "schedule is null");
        requireNonNull(result, "result is null");
        String channel = schedule.channel();
        List<SlackMessage> summary = messages.sweep(result, SUMMARY_MESSAGES);
        Optional<String> ts = postSummary(channel, summary.get(0));
        if (ts.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "schedule " + schedule.name() + ": the sweep could not be posted in "
                    + channel + "; here it is:\n" + SweepSummary.text(result, "below") + reports(result.notHealthy()));
            return;
        }
        String command = command(schedule.check());
        try {
            for (SlackMessage more : summary.subList(1, summary.size())) {
                api.post(channel, ts, more);
            }
        } catch (SlackCallException e) {
            LOG.log(System.Logger.Level.WARNING, "schedule " + schedule.name() + ": the rest of the summary could not "
                    + "be posted in the thread of " + ts.get() + " (" + e.getMessage() + "); here it is:\n"
                    + SweepSummary.text(result, "below"));
        }
        for (SweepLine line : result.notHealthy()) {
            try {
                for (SlackMessage m : messages.thread(command, line.report(), MESSAGES_PER_HOST)) {
                    api.post(channel, ts, m);
                }
            } catch (SlackCallException e) {
                LOG.log(System.Logger.Level.WARNING, "schedule " + schedule.name() + ": the report for " + line.host()
                        + " could not be posted in the thread of " + ts.get() + " in " + channel + " ("
                        + e.getMessage() + "); here it is:\n" + reports(List.of(line)));
            }
        }
    }

    private Optional<String> postSummary(String channel, SlackMessage summary) {
        try {
            return Optional.of(api.post(channel, Optional.empty(), summary));
        } catch (SlackCallException e) {
            if (!e.error().equals("not_in_channel")) {
                LOG.log(System.Logger.Level.WARNING, "cannot post the sweep in " + channel + ": " + e.getMessage());
                return Optional.empty();
            }
        }
        try {
            api.join(channel);
            return Optional.of(api.post(channel, Optional.empty(), summary));
        } catch (SlackCallException e) {
            LOG.log(System.Logger.Level.WARNING, "not a member of " + channel + " and cannot join it (" + e.getMessage()
                    + "); invite the bot to the schedule's channel");
            return Optional.empty();
        }
    }

    /** The slash command mapped to the check, for the "to re-run" hint; the check's name when none is. */
    private String command(String check) {
        return commands.entrySet().stream().filter(e -> e.getValue().equals(check)).map(Map.Entry::getKey).sorted()
                .findFirst().orElse("/" + check);
    }

    private static String reports(List<SweepLine> lines) {
        StringBuilder sb = new StringBuilder();
        TextRenderer renderer = new TextRenderer();
        lines.forEach(l -> sb.append('\n').append(Redactor.redact(renderer.render(l.report()))));
        return sb.toString();
    }
}
