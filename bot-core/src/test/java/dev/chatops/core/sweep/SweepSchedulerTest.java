package dev.chatops.core.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.schedule.Schedule;
import dev.chatops.core.testing.DispatchBench;
import dev.chatops.core.testing.ManualTimer;
import dev.chatops.core.testing.StatusCheck;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SweepSchedulerTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    /** Remembers when each sweep was published, by the bench's clock, and what it held. */
    private static final class Published implements SweepPublisher {
        final List<String> posts = new ArrayList<>();
        final DispatchBench bench;
        boolean failNext;

        Published(DispatchBench bench) {
            this.bench = bench;
        }

        @Override
        public synchronized void publish(Schedule schedule, SweepResult result) {
            if (failNext) {
                failNext = false;
                throw new IllegalStateException("slack said channel_not_found");
            }
            posts.add(schedule.name() + " " + bench.clock.instant() + " " + result.lines().size());
        }
    }

    private static Schedule schedule(String name, String cron) {
        return new Schedule(name, cron, BERLIN, "C0456EFGH", StatusCheck.NAME, List.of("web-01", "web-02"), List.of());
    }

    private static List<String> run(String start, String until, Schedule... schedules) {
        try (DispatchBench bench = DispatchBench.builder().hosts("web-01", "web-02").start(Instant.parse(start)).build()) {
            ManualTimer timer = new ManualTimer(bench.clock);
            Published published = new Published(bench);
            try (SweepScheduler scheduler = new SweepScheduler(List.of(schedules), new Sweep(bench.dispatcher, bench.clock),
                    published, bench.clock, timer)) {
                scheduler.start();
                timer.runUntil(Instant.parse(until));
            }
            return published.posts;
        }
    }

    @Test
    void weekdayMorning_firesAtEightAcrossSpringForward() {
        assertEquals(List.of("morning 2026-03-27T07:00:00Z 2", "morning 2026-03-30T06:00:00Z 2",
                        "morning 2026-03-31T06:00:00Z 2"),
                run("2026-03-26T12:00:00Z", "2026-03-31T12:00:00Z", schedule("morning", "0 8 * * MON-FRI")));
    }

    @Test
    void springForwardGap_firesOnceRightAfterGap() {
        assertEquals(List.of("night 2026-03-28T01:30:00Z 2", "night 2026-03-29T01:00:00Z 2",
                        "night 2026-03-30T00:30:00Z 2"),
                run("2026-03-27T12:00:00Z", "2026-03-30T12:00:00Z", schedule("night", "30 2 * * *")));
    }

    @Test
    void fallBackOverlap_firesOnce() {
        assertEquals(List.of("night 2026-10-24T00:30:00Z 2", "night 2026-10-25T00:30:00Z 2",
                        "night 2026-10-26T01:30:00Z 2"),
                run("2026-10-23T12:00:00Z", "2026-10-26T12:00:00Z", schedule("night", "30 2 * * *")));
    }

    @Test
    void twoSchedules_eachOnItsOwnTime() {
        assertEquals(List.of("morning 2026-11-23T07:00:00Z 2", "evening 2026-11-23T17:00:00Z 2"),
                run("2026-11-23T06:00:00Z", "2026-11-23T20:00:00Z", schedule("morning", "0 8 * * *"),
                        schedule("evening", "0 18 * * *")));
    }

    @Test
    void publishFails_scheduleGoesOn() {
        try (DispatchBench bench = DispatchBench.builder().hosts("web-01", "web-02")
                .start(Instant.parse("2026-11-23T06:00:00Z")).build()) {
            ManualTimer timer = new ManualTimer(bench.clock);
            Published published = new Published(bench);
            published.failNext = true;
            try (SweepScheduler scheduler = new SweepScheduler(List.of(schedule("morning", "0 8 * * *")),
                    new Sweep(bench.dispatcher, bench.clock), published, bench.clock, timer)) {
                scheduler.start();
                assertEquals(Optional.of(Instant.parse("2026-11-23T07:00:00Z")), scheduler.nextRun("morning"));
                timer.runUntil(Instant.parse("2026-11-24T12:00:00Z"));
                assertEquals(List.of("morning 2026-11-24T07:00:00Z 2"), published.posts);
                assertEquals(Optional.of(Instant.parse("2026-11-25T07:00:00Z")), scheduler.nextRun("morning"));
            }
            assertTrue(timer.pending().isEmpty(), "close must cancel what was planned");
        }
    }
}
