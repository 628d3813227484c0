package dev.chatops.core.history;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** An engineer's answer to "was this the cause?" on one report's leading cause. */
public record Answer(String reportId, String check, String causeId, String user, boolean confirmed, Instant at) {

    public Answer {
        requireNonNull(reportId, "reportId is null");
        requireNonNull(check, "check is null");
        requireNonNull(causeId, "causeId is null");
        requireNonNull(user, "user is null");
        requireNonNull(at, "at is null");
    }
}
