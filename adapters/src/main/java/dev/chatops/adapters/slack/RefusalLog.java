package dev.chatops.adapters.slack;

import static java.util.Objects.requireNonNull;

import java.time.Clock;

/**
 * The log lines about refused requests, at most {@code perMinute} a minute, so that a flood of bad
 * requests cannot flood the log: the lines over the budget are counted, and the count is logged
 * with the first refusal of a later minute.
 */
final class RefusalLog {

    private final System.Logger log;
    private final Clock clock;
    private final int perMinute;
    private long minute = Long.MIN_VALUE;
    private int logged;
    private long dropped;

    RefusalLog(System.Logger log, Clock clock, int perMinute) {
        this.log = requireNonNull(log, "log is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.perMinute = perMinute;
    }

    void warn(String line) {
        String droppedLine = null;
        boolean write;
        synchronized (this) {
            long now = Math.floorDiv(clock.millis(), 60_000L);
            if (now != minute) {
                if (dropped > 0) {
                    droppedLine = dropped + " more refused requests were not logged (at most " + perMinute
                            + " a minute)";
                }
                minute = now;
                logged = 0;
                dropped = 0;
            }
            write = logged < perMinute;
            if (write) {
                logged++;
            } else {
                dropped++;
            }
        }
        if (droppedLine != null) {
            log.log(System.Logger.Level.WARNING, droppedLine);
        }
        if (write) {
            log.log(System.Logger.Level.WARNING, line);
        }
    }
}
