package dev.chatops.core.limit;

/**
 * Bounds on the work the bot takes on at once.
 *
 * @param concurrentHosts how many hosts may be checked at the same time
 * @param queue           how many requests from people may wait for a slot; beyond that they are
 *                        refused with "the bot is busy"
 */
public record Limits(int concurrentHosts, int queue) {

    public static final int DEFAULT_CONCURRENT_HOSTS = 16;
    public static final int DEFAULT_QUEUE = 64;

    public Limits {
        if (concurrentHosts < 1) {
            throw new IllegalArgumentException("concurrentHosts must be at least 1, not " + concurrentHosts);
        }
        if (queue < 0) {
            throw new IllegalArgumentException("queue must not be negative, not " + queue);
        }
    }

    public static Limits defaults() {
        return new Limits(DEFAULT_CONCURRENT_HOSTS, DEFAULT_QUEUE);
    }
}
