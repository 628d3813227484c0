package dev.chatops.adapters.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.config.BotConfig;
import dev.chatops.config.ConfigLoader;
import dev.chatops.core.error.BotException;
import dev.chatops.core.registry.CheckRegistry;
import dev.chatops.core.sweep.SweepScheduler;
import dev.chatops.core.testing.GatedTransport;
import dev.chatops.core.testing.MutableClock;
import dev.chatops.core.testing.StatusCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BotAppSchedulesTest {

    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-23T06:00:00Z"));

    private static BotConfig config(Path dir, String check) throws Exception {
        Path file = dir.resolve("bot.yaml");
        Files.writeString(file, """
                hosts:
                  web-01: {transport: local, tags: [web]}
                audit:
                  file: logs/audit.jsonl
                schedules:
                  - name: morning
                    cron: "0 8 * * MON-FRI"
                    zone: Europe/Berlin
                    channel: C0456EFGH
                    check: %s
                    tags: [web]
                """.formatted(check));
        return new ConfigLoader(Map.of(), dir).load(file);
    }

    @Test
    void startSchedules_plansFromClockAndOpensAuditLog(@TempDir Path dir) throws Exception {
        try (BotApp app = new BotApp(config(dir, "status"), CheckRegistry.of(new StatusCheck()), new GatedTransport(),
                CLOCK, CLOCK.ticker())) {
            SweepScheduler scheduler = app.startSchedules((schedule, result) -> { });
            assertEquals(Optional.of(Instant.parse("2026-11-23T07:00:00Z")), scheduler.nextRun("morning"));
            assertTrue(Files.exists(dir.resolve("logs/audit.jsonl")));
        }
    }

    @Test
    void startSchedules_unknownCheck_refusedNamingSchedule(@TempDir Path dir) throws Exception {
        try (BotApp app = new BotApp(config(dir, "nginx503"), CheckRegistry.of(new StatusCheck()),
                new GatedTransport(), CLOCK, CLOCK.ticker())) {
            BotException e = assertThrows(BotException.class, () -> app.startSchedules((schedule, result) -> { }));
            assertEquals("schedule morning: unknown check `nginx503`; loaded checks: status", e.getMessage());
        }
    }
}
