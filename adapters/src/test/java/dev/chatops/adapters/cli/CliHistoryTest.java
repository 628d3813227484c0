package dev.chatops.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.chatops.adapters.app.BotApp;
import dev.chatops.config.ConfigLoader;
import dev.chatops.core.history.Answer;
import dev.chatops.core.history.History;
import dev.chatops.core.history.StoredReport;
import dev.chatops.core.registry.CheckRegistry;
import dev.chatops.core.spi.Verdict;
import dev.chatops.core.testing.GatedTransport;
import dev.chatops.core.testing.MutableClock;
import dev.chatops.core.testing.StatusCheck;
import dev.chatops.store.SqlStores;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line with a real SQLite history: reports kept, history, stats, and sweeps as a diff. */
class CliHistoryTest {

    private static final String CONFIG = """
            hosts:
              web-01: {transport: local, tags: [web]}
              web-02: {transport: local, tags: [web]}
              web-03: {transport: local, tags: [web]}
            schedules:
              - name: morning
                cron: "0 8 * * MON-FRI"
                zone: Europe/Berlin
                channel: C0456EFGH
                check: status
                tags: [web]
            """;

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    /** Monday 08:00 in Berlin. */
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T07:00:00Z"));
    private final GatedTransport transport = new GatedTransport();
    private History history;
    private Cli cli;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(dir.resolve("bot.yaml"), CONFIG);
        cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ConfigLoader(Map.of(), dir), dir, clock,
                config -> {
                    history = SqlStores.sqlite(config.state().dir());
                    return new BotApp(config, CheckRegistry.of(new StatusCheck()), transport, clock, clock.ticker(),
                            history);
                });
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String run(String... args) {
        out.reset();
        err.reset();
        int code = cli.run(args);
        assertEquals(Cli.OK, code, err.toString(StandardCharsets.UTF_8));
        return out();
    }

    private void fleet(String web01, String web02, String web03) {
        transport.status("web-01", web01).status("web-02", web02).status("web-03", web03);
    }

    @Test
    void sweep_firstEver_listsEveryHost_thenTheNextSaysWhatChanged() {
        fleet("healthy", "down 412", "healthy");
        String monday = run("sweep", "morning");
        assertTrue(monday.startsWith("""
                ☀️ status morning check · 3 hosts · 08:00 Europe/Berlin
                🔴 web-02  upstream-down: upstream shop_app is down (412× 502)
                🟢 web-01  healthy
                🟢 web-03  healthy
                Details for web-02 below.
                """), monday);
        assertTrue(Files.exists(dir.resolve("state/history.db")), "the default store lies beside the config");

        clock.advance(Duration.ofDays(1));
        fleet("healthy", "down 500", "down 35");
        String tuesday = run("sweep", "morning");
        assertTrue(tuesday.startsWith("""
                ☀️ status morning check · 3 hosts · 08:00 Europe/Berlin
                New since the last sweep (Mon 08:00):
                🔴 web-03  upstream-down: upstream shop_app is down (35× 502)  ▁▇
                Still failing:
                🔴 web-02  upstream-down: upstream shop_app is down (500× 502) · since Mon 08:00  ▅▇
                🟢 1 host healthy, as at the last sweep
                Details for web-02 and web-03 below.
                """), tuesday);

        clock.advance(Duration.ofDays(1));
        fleet("healthy", "down 100", "healthy");
        String wednesday = run("sweep", "morning");
        assertTrue(wednesday.startsWith("""
                ☀️ status morning check · 3 hosts · 08:00 Europe/Berlin
                Still failing:
                🔴 web-02  upstream-down: upstream shop_app is down (100× 502) · since Mon 08:00  ▅▇▂
                Recovered:
                🟢 web-03  recovered (was upstream-down)
                🟢 1 host healthy, as at the last sweep
                Details for web-02 below.
                """), wednesday);
    }

    @Test
    void sweep_json_saysWhatChangedSinceThePreviousSweep() {
        fleet("down 3", "healthy", "healthy");
        JsonObject first = JsonParser.parseString(run("sweep", "morning", "--format", "json")).getAsJsonObject();
        assertFalse(first.has("sincePrevious"), "nothing to compare the first sweep with");

        clock.advance(Duration.ofHours(6));
        fleet("down 6", "unreachable-looking text", "healthy");
        JsonObject root = JsonParser.parseString(run("sweep", "morning", "--format", "json")).getAsJsonObject();
        JsonObject diff = root.getAsJsonObject("sincePrevious");
        assertEquals("2026-11-23T07:00:00Z", diff.get("previousAt").getAsString());
        assertEquals("[\"web-02\"]", diff.get("newFailures").toString());
        JsonObject still = diff.getAsJsonArray("stillFailing").get(0).getAsJsonObject();
        assertEquals("web-01", still.get("host").getAsString());
        assertEquals("2026-11-23T07:00:00Z", still.get("since").getAsString());
        assertFalse(still.get("sinceAtLeast").getAsBoolean(), "every sweep kept was read");
        assertEquals(0, diff.getAsJsonArray("recovered").size());
        assertEquals(1, diff.get("unchangedHealthy").getAsInt());
        JsonObject web01 = diff.getAsJsonObject("gateway502").getAsJsonObject("web-01");
        assertEquals("[3,6]", web01.get("counts").toString());
        assertEquals("▃▇", web01.get("sparkline").getAsString());
        assertTrue(root.get("summary").getAsString().contains("New since the last sweep (Mon 08:00):"),
                root.get("summary").getAsString());
    }

    @Test
    void sweep_sparkline_spansTheLastSevenSweeps_andSinceIsTheStartOfTheFailingRun() {
        int[] counts = {0, 10, 20, 40, 80, 0, 60, 80, 20};
        String last = "";
        for (int c : counts) {
            fleet("healthy", c == 0 ? "healthy" : "down " + c, "healthy");
            last = run("sweep", "morning");
            clock.advance(Duration.ofDays(1));
        }
        // the newest seven are 20 40 80 0 60 80 20; against the largest (80): ▂ ▃ ▇ ▁ ▅ ▇ ▂. The run of
        // failing sweeps started on the seventh (Sunday 29 Nov), after the healthy sixth
        String line = last.lines().filter(l -> l.startsWith("🔴 web-02")).findFirst().orElseThrow();
        assertEquals("🔴 web-02  upstream-down: upstream shop_app is down (20× 502) · since Sun 08:00  ▂▃▇▁▅▇▂", line);
    }

    @Test
    void check_isKeptRedacted_andHistoryListsItWithWhoAsked() {
        transport.status("web-02", "down 7");
        run("check", "status", "web-02");
        clock.advance(Duration.ofHours(2));
        transport.status("web-02", "healthy");
        run("check", "status", "web-02", "--fresh");

        String listed = run("history", "web-02");
        String me = System.getProperty("user.name");
        assertEquals("""
                web-02: 2 reports since 2026-11-22 09:00:00 UTC, newest first
                2026-11-23 09:00:00 UTC  🟢 healthy  asked by cli:%s
                2026-11-23 07:00:00 UTC  🔴 upstream-down  asked by cli:%s
                """.formatted(me, me), listed);
        List<StoredReport> kept = history.reports("web-02", Instant.EPOCH, 10);
        JsonObject json = JsonParser.parseString(kept.get(1).json()).getAsJsonObject();
        assertEquals("upstream-down", json.getAsJsonArray("causes").get(0).getAsJsonObject().get("id").getAsString());
        assertEquals("", kept.get(1).channel());
    }

    @Test
    void history_since_leavesOutOlderReports() {
        transport.status("web-01", "healthy");
        run("check", "status", "web-01");
        clock.advance(Duration.ofDays(3));
        assertEquals("web-01: no reports since 2026-11-25 07:00:00 UTC (--since 1d)\n",
                run("history", "web-01", "--since", "1d"));
        assertTrue(run("history", "web-01", "--since", "7d").startsWith("web-01: 1 report since"), out());
    }

    @Test
    void history_badInput_isRefusedWithUsage() {
        assertEquals(Cli.USAGE, cli.run("history", "$(reboot)"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is not a host name"));
        err.reset();
        assertEquals(Cli.USAGE, cli.run("history", "web-01", "--since", "yesterday"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--since must be a duration like 24h, 7d or 30m"));
        assertEquals(Cli.USAGE, cli.run("history"));
    }

    @Test
    void stats_countsConfirmedAndRejectedPerCause() {
        assertEquals("no answers yet: engineers record them with This was it / Not it on a report in Slack\n",
                run("stats"));
        history.saveAnswer(new Answer("r1", "status", "upstream-down", "U1", true, clock.instant()));
        history.saveAnswer(new Answer("r2", "status", "upstream-down", "U2", true, clock.instant()));
        history.saveAnswer(new Answer("r3", "status", "upstream-down", "U2", false, clock.instant()));
        history.saveAnswer(new Answer("r4", "status", "disk-full", "U1", false, clock.instant()));
        assertEquals("""
                cause                 confirmed  rejected  confirmed share
                status/upstream-down          2         1             67%
                status/disk-full              0         1              0%
                """, run("stats"));
    }

    @Test
    void history_storeReadable_afterTheCheckCommandExits() {
        // the CLI's BotApp is closed when check returns: what it still had to save is saved by then
        transport.status("web-03", "healthy");
        run("check", "status", "web-03");
        assertEquals(1, SqlStores.sqlite(dir.resolve("state")).reports("web-03", Instant.EPOCH, 10).size());
        assertEquals(Verdict.HEALTHY, history.reports("web-03", Instant.EPOCH, 10).get(0).verdict());
    }
}
