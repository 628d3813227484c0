package dev.chatops.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chatops.core.limit.Limits;
import dev.chatops.core.schedule.Schedule;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigLoaderFleetTest {

    private static final String HOSTS = """
            hosts:
              web-01:
                transport: local
                tags: [web]
              web-02:
                transport: local
                tags: [web, prod]
            """;

    private static BotConfig parse(String yaml) {
        return new ConfigLoader(Map.of(), Path.of("/home/chatops")).parse(new StringReader(yaml), "bot.yaml",
                Optional.empty());
    }

    private static String refused(String yaml) {
        return assertThrows(ConfigException.class, () -> parse(yaml)).getMessage();
    }

    @Test
    void schedules_cronZoneHostsAndTags_read() {
        BotConfig c = parse(HOSTS + """
                schedules:
                  - name: morning
                    cron: "0 8 * * MON-FRI"
                    zone: Europe/Berlin
                    channel: C0456EFGH
                    check: nginx502
                    tags: [web]
                """);
        Schedule s = c.schedule("morning").orElseThrow();
        assertEquals(ZoneId.of("Europe/Berlin"), s.zone());
        assertEquals("0 8 * * MON-FRI", s.cronExpression().toString());
        assertEquals(List.of("web"), s.tags());
        assertEquals(Optional.empty(), c.schedule("evening"));
    }

    @Test
    void schedules_badCron_namesKeyFieldAndLine() {
        assertEquals("bot.yaml: schedules[0].cron `0 8 * * MON-FRX` is not a valid cron expression: in the day-of-week "
                + "field, `FRX` is not a value; allowed: 0-7 (0 and 7 are Sunday) or SUN-SAT, ranges like 1-5, lists like "
                + "1,3,5, steps like */2 (line 10)", refused(HOSTS + """
                schedules:
                  - name: morning
                    cron: "0 8 * * MON-FRX"
                    channel: C0456EFGH
                    hosts: [web-01]
                """));
    }

    @Test
    void schedules_fourFields_refused() {
        String message = refused(HOSTS + """
                schedules:
                  - name: morning
                    channel: C0456EFGH
                    hosts: [web-01]
                    cron: "0 8 * *"
                """);
        assertEquals("bot.yaml: schedules[0].cron `0 8 * *` is not a cron expression: it needs five fields (minute hour "
                + "day-of-month month day-of-week), e.g. \"0 8 * * MON-FRI\" (line 12)", message);
    }

    @Test
    void schedules_tagNoHostCarries_refused() {
        assertEquals("bot.yaml: schedules[0].tags[1] names the tag `wbe`, which no host under hosts: carries; add it to "
                + "a host's tags: or remove it here (line 12)", refused(HOSTS + """
                schedules:
                  - name: morning
                    cron: "0 8 * * *"
                    channel: C0456EFGH
                    tags: [web, wbe]
                """));
    }

    @Test
    void schedules_badZone_refused() {
        assertEquals("bot.yaml: schedules[0].zone `Europe/Berlln` is not a time zone like Europe/Berlin (line 11)",
                refused(HOSTS + """
                        schedules:
                          - name: morning
                            cron: "0 8 * * *"
                            zone: Europe/Berlln
                            channel: C0456EFGH
                            hosts: [web-01]
                        """));
    }

    @Test
    void limits_read() {
        BotConfig c = parse(HOSTS + """
                limits:
                  concurrentHosts: 8
                  queue: 20
                """);
        assertEquals(new Limits(8, 20), c.limits());
    }

    @Test
    void limits_diagnoseTimeout_read() {
        BotConfig c = parse(HOSTS + """
                limits:
                  diagnoseTimeout: 2500ms
                """);
        assertEquals(new Limits(16, 64, Duration.ofMillis(2500)), c.limits());
    }

    @Test
    void limits_diagnoseTimeoutZero_refused() {
        assertEquals("bot.yaml: limits.diagnoseTimeout must be longer than zero (line 9)", refused(HOSTS + """
                limits:
                  diagnoseTimeout: 0s
                """));
    }

    @Test
    void limits_siblings_read() {
        BotConfig c = parse(HOSTS + """
                limits:
                  siblings: 3
                """);
        assertEquals(3, c.limits().siblings());
        assertEquals(new Limits(16, 64, Limits.DEFAULT_DIAGNOSE_TIMEOUT, 3), c.limits());
    }

    @Test
    void limits_siblingsOutOfRange_refusedWithKeyPathAndLine() {
        assertEquals("bot.yaml: limits.siblings must be 1-100, not 0 (line 10)", refused(HOSTS + """
                limits:
                  queue: 5
                  siblings: 0
                """));
        assertEquals("bot.yaml: limits.siblings must be 1-100, not 500 (line 9)", refused(HOSTS + """
                limits:
                  siblings: 500
                """));
    }

    @Test
    void hosts_tags_keepTheirOrder() {
        BotConfig c = parse(HOSTS);
        assertEquals(List.of("web", "prod"), List.copyOf(c.hosts().find("web-02").orElseThrow().tags()));
    }

    @Test
    void limits_absent_defaults() {
        BotConfig c = parse(HOSTS);
        assertEquals(Limits.defaults(), c.limits());
        assertEquals(Duration.ofSeconds(10), c.limits().diagnoseTimeout());
        assertEquals(10, c.limits().siblings());
        assertEquals(BotConfig.DEFAULT_UNREACHABLE_TTL, c.unreachableTtl());
    }

    @Test
    void limits_zeroHosts_refused() {
        assertEquals("bot.yaml: limits.concurrentHosts must be 1-1024, not 0 (line 9)", refused(HOSTS + """
                limits:
                  concurrentHosts: 0
                """));
    }

    @Test
    void limits_unknownKey_refused() {
        assertEquals("bot.yaml: limits.hosts is not a known key; allowed here: concurrentHosts, diagnoseTimeout, queue, "
                + "siblings (line 9)",
                refused(HOSTS + """
                        limits:
                          hosts: 3
                        """));
    }

    @Test
    void cache_unreachableTtl_readAndCappedAtTtl() {
        assertEquals(Duration.ofSeconds(3), parse(HOSTS + """
                cache:
                  ttl: 30s
                  unreachableTtl: 3s
                """).unreachableTtl());
        assertEquals(Duration.ofSeconds(10), parse(HOSTS + """
                cache:
                  ttl: 10s
                  unreachableTtl: 1m
                """).unreachableTtl());
    }
}
