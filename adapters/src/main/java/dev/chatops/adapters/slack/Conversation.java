package dev.chatops.adapters.slack;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.dispatch.CheckRequest;

/**
 * One accepted slash command: who asked where, for which check on which host, and the
 * {@code response_url} Slack gave for answering it without a channel message.
 *
 * @param command the slash command as typed, e.g. {@code /nginx502}
 * @param check   the check plugin it maps to
 * @param host    the allowlisted host name
 * @param user    the Slack user id of the caller
 * @param channel the Slack channel id it was typed in
 * @param requestId the id of the request handed to the dispatcher, which the report is kept under
 */
record Conversation(String command, String check, String host, boolean fresh, String user, String channel,
                    String responseUrl, String requestId) {

    /** A conversation with a new request id. */
    Conversation(String command, String check, String host, boolean fresh, String user, String channel,
                 String responseUrl) {
        this(command, check, host, fresh, user, channel, responseUrl, CheckRequest.newId());
    }

    Conversation {
        requireNonNull(command, "command is null");
        requireNonNull(check, "check is null");
        requireNonNull(host, "host is null");
        requireNonNull(user, "user is null");
        requireNonNull(channel, "channel is null");
        requireNonNull(responseUrl, "responseUrl is null");
        requireNonNull(requestId, "requestId is null");
    }
}
