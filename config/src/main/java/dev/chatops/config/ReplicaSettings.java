package dev.chatops.config;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How many bot processes serve this configuration (the {@code replicas:} section), and how they
 * share the work. More than one needs the shared PostgreSQL store ({@code state.url}).
 *
 * @param count how many replicas are meant to run; a hint, so that one started without a shared
 *              store refuses to run schedules rather than post twice
 * @param lease how long a replica's claim on a sweep or a run lasts unless it renews it: how long the
 *              others wait before taking over from a replica that died
 */
public record ReplicaSettings(int count, Duration lease) {

    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

    public ReplicaSettings {
        requireNonNull(lease, "lease is null");
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, not " + count);
        }
        if (lease.toMillis() < 1000) {
            throw new IllegalArgumentException("lease must be at least 1s, not " + lease);
        }
    }

    /** One replica, the default lease. */
    public static ReplicaSettings single() {
        return new ReplicaSettings(1, DEFAULT_LEASE);
    }
}
