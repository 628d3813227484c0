package dev.chatops.core.history;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.spi.Verdict;
import java.time.Instant;

/**
 * One report as kept: enough to list it without parsing, and its redacted JSON to show it again.
 *
 * @param causeId   the leading cause's id, or "" when there is none
 * @param requester who asked: a Slack user id, {@code cli:<local user>}, or {@code schedule:<name>}
 * @param channel   the Slack channel it was asked in, or "" outside Slack
 * @param json      the report as the JSON renderer writes it, already redacted
 */
public record StoredReport(String id, String check, String host, Instant at, Verdict verdict, String causeId,
                           String requester, String channel, String json) {

    public StoredReport {
        requireNonNull(id, "id is null");
        requireNonNull(check, "check is null");
        requireNonNull(host, "host is null");
        requireNonNull(at, "at is null");
        requireNonNull(verdict, "verdict is null");
        requireNonNull(causeId, "causeId is null");
        requireNonNull(requester, "requester is null");
        requireNonNull(channel, "channel is null");
        requireNonNull(json, "json is null");
    }
}
