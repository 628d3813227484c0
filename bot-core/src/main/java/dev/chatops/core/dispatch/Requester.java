package dev.chatops.core.dispatch;

import static java.util.Objects.requireNonNull;

/**
 * Who asked, and where: a Slack user in a channel, the command line, or a schedule.
 *
 * @param via     {@code slack}, {@code cli} or {@code schedule}
 * @param user    the Slack user id, the local user name, or the schedule's name
 * @param channel the Slack channel id (for a schedule, the channel it posts to); empty on the command line
 */
public record Requester(String via, String user, String channel) {

    public Requester {
        requireNonNull(via, "via is null");
        requireNonNull(user, "user is null");
        requireNonNull(channel, "channel is null");
    }

    public static Requester cli() {
        return new Requester("cli", System.getProperty("user.name", ""), "");
    }

    public static Requester slack(String user, String channel) {
        return new Requester("slack", user, channel);
    }

    /** A scheduled sweep: its requests wait behind people's and are never refused as "busy". */
    public static Requester schedule(String name, String channel) {
        return new Requester("schedule", name, channel);
    }

    public boolean isSchedule() {
        return via.equals("schedule");
    }

    public boolean isSlack() {
        return via.equals("slack");
    }
}
