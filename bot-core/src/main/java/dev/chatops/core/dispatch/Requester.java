package dev.chatops.core.dispatch;

import static java.util.Objects.requireNonNull;

/**
 * Who asked, and where: a Slack user in a channel, the command line, or a schedule.
 *
 * @param via     {@code slack}, {@code cli} or {@code schedule}
 * @param user    the Slack user id, or the local user name
 * @param channel the Slack channel id; empty outside Slack
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

    public boolean isSlack() {
        return via.equals("slack");
    }
}
