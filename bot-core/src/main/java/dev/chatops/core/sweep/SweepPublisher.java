package dev.chatops.core.sweep;

import dev.chatops.core.schedule.Schedule;

/**
 * Where a scheduled sweep's outcome goes: the Slack adapter posts {@link SweepSummary#text} to
 * {@link Schedule#channel()} and the reports of {@link SweepResult#notHealthy()} hosts as thread
 * replies.
 */
public interface SweepPublisher {

    /**
     * Publishes one sweep. Called on the scheduler's thread once the sweep is over; it may block
     * while posting. What it throws is logged and the schedule goes on.
     */
    void publish(Schedule schedule, SweepResult result);
}
