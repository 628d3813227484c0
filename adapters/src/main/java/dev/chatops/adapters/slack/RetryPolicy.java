package dev.chatops.adapters.slack;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How Slack calls are retried: rate-limited calls after the {@code Retry-After} Slack asks for,
 * if it is not longer than {@code maxRetryAfter}; server errors and broken connections after a
 * backoff that doubles from {@code firstBackoff}; at most {@code attempts} tries in all.
 */
public record RetryPolicy(int attempts, Duration maxRetryAfter, Duration firstBackoff) {

    public RetryPolicy {
        requireNonNull(maxRetryAfter, "maxRetryAfter is null");
        requireNonNull(firstBackoff, "firstBackoff is null");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
        if (maxRetryAfter.isNegative() || firstBackoff.isNegative()) {
            throw new IllegalArgumentException("waits must not be negative");
        }
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(4, Duration.ofSeconds(30), Duration.ofSeconds(1));
    }

    Duration backoff(int attempt) {
        return firstBackoff.multipliedBy(1L << Math.min(attempt - 1, 10));
    }
}
