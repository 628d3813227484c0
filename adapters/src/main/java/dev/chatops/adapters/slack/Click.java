package dev.chatops.adapters.slack;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.dispatch.CheckRequest;
import dev.chatops.core.host.Host;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One press of a report's button: which button, on which report, by whom, where. The report is named
 * by the button's own value ({@code id|check|host|cause}), written by the bot when it posted the
 * buttons; it is still parsed strictly, since a request body is text from outside.
 *
 * @param action    what the button does: {@code rerun}, {@code siblings}, {@code evidence},
 *                  {@code confirm}, {@code reject} or {@code fresh}
 * @param causeId   the leading cause the answer buttons are about; "" when the report has none
 * @param messageTs the message that holds the button; empty for an ephemeral one
 * @param threadTs  the thread the message is in, where the answer goes
 */
record Click(String action, String reportId, String check, String host, String causeId, String user,
             String channel, Optional<String> messageTs, String threadTs, String responseUrl) {

    private static final Pattern CHECK = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final Pattern CAUSE = Pattern.compile("[A-Za-z0-9._-]{0,64}");
    private static final Pattern ACTION = Pattern.compile("rerun|siblings|evidence|confirm|reject|fresh");
    private static final Pattern SLACK_ID = Pattern.compile("[A-Z0-9]{2,30}");
    private static final Pattern TS = Pattern.compile("\\d{1,12}\\.\\d{1,8}");

    Click {
        requireNonNull(action, "action is null");
        requireNonNull(reportId, "reportId is null");
        requireNonNull(check, "check is null");
        requireNonNull(host, "host is null");
        requireNonNull(causeId, "causeId is null");
        requireNonNull(user, "user is null");
        requireNonNull(channel, "channel is null");
        requireNonNull(messageTs, "messageTs is null");
        requireNonNull(threadTs, "threadTs is null");
        requireNonNull(responseUrl, "responseUrl is null");
    }

    /** What a button carries: enough to act on the report even when the bot no longer keeps it. */
    static String value(String reportId, String check, String host, String causeId) {
        return reportId + "|" + check + "|" + host + "|" + causeId;
    }

    /**
     * The click, or empty when anything in it is not what the bot's own buttons send.
     *
     * @param actionId  the button's action id, {@code report.<action>}
     * @param messageTs the ts of the message holding the button; "" when ephemeral
     * @param threadTs  the message's thread ts; "" when it is not in a thread (it then becomes the thread)
     */
    static Optional<Click> parse(String actionId, String value, String user, String channel, String messageTs,
                                 String threadTs, String responseUrl) {
        if (actionId == null || !actionId.startsWith(ReportActions.PREFIX) || value == null || value.length() > 400
                || user == null || !SLACK_ID.matcher(user).matches()
                || channel == null || !SLACK_ID.matcher(channel).matches()) {
            return Optional.empty();
        }
        String action = actionId.substring(ReportActions.PREFIX.length());
        String[] parts = value.split("\\|", -1);
        if (!ACTION.matcher(action).matches() || parts.length != 4 || !CheckRequest.ID.matcher(parts[0]).matches()
                || !CHECK.matcher(parts[1]).matches() || !Host.isValidName(parts[2])
                || !CAUSE.matcher(parts[3]).matches()) {
            return Optional.empty();
        }
        Optional<String> message = Optional.ofNullable(messageTs).filter(ts -> TS.matcher(ts).matches());
        String thread = Optional.ofNullable(threadTs).filter(ts -> TS.matcher(ts).matches())
                .or(() -> message).orElse("");
        return Optional.of(new Click(action, parts[0], parts[1], parts[2], parts[3], user, channel, message, thread,
                responseUrl == null ? "" : responseUrl));
    }

    Optional<String> thread() {
        return threadTs.isEmpty() ? Optional.empty() : Optional.of(threadTs);
    }
}
