package dev.chatops.core.limit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Bounds on the work the bot takes on at once, and on how long it waits for a check's own code.
 *
 * @param concurrentHosts how many hosts may be checked at the same time
 * @param queue           how many requests from people may wait for a slot; beyond that they are
 *                        refused with "the bot is busy"
 * @param diagnoseTimeout how long a check may take to diagnose its evidence (and to choose its
 *                        follow-up probes); past it the run gives an inconclusive report and frees
 *                        its slot, because evidence from a host may hold input a check chokes on
 * @param siblings        how many other hosts one "check siblings" request may check, so that one click
 *                        cannot fill the queue with a whole fleet
 */
public record Limits(int concurrentHosts, int queue, Duration diagnoseTimeout, int siblings) {

    public static final int DEFAULT_CONCURRENT_HOSTS = 16;
    public static final int DEFAULT_QUEUE = 64;
    public static final Duration DEFAULT_DIAGNOSE_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_SIBLINGS = 10;

    public Limits {
        if (concurrentHosts < 1) {
            throw new IllegalArgumentException("concurrentHosts must be at least 1, not " + concurrentHosts);
        }
        if (queue < 0) {
            throw new IllegalArgumentException("queue must not be negative, not " + queue);
        }
        requireNonNull(diagnoseTimeout, "diagnoseTimeout is null");
        if (diagnoseTimeout.isNegative() || diagnoseTimeout.isZero()) {
            throw new IllegalArgumentException("diagnoseTimeout must be longer than zero, not " + diagnoseTimeout);
        }
        if (siblings < 1) {
            throw new IllegalArgumentException("siblings must be at least 1, not " + siblings);
        }
    }

    /** Limits with the default {@code siblings}. */
    public Limits(int concurrentHosts, int queue, Duration diagnoseTimeout) {
        this(concurrentHosts, queue, diagnoseTimeout, DEFAULT_SIBLINGS);
    }

    /** Limits with the default {@code diagnoseTimeout}. */
    public Limits(int concurrentHosts, int queue) {
        this(concurrentHosts, queue, DEFAULT_DIAGNOSE_TIMEOUT);
    }

    public static Limits defaults() {
        return new Limits(DEFAULT_CONCURRENT_HOSTS, DEFAULT_QUEUE, DEFAULT_DIAGNOSE_TIMEOUT, DEFAULT_SIBLINGS);
    }
}
