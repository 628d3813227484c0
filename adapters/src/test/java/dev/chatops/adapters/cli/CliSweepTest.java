package dev.chatops.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.chatops.adapters.app.BotApp;
import dev.chatops.config.ConfigLoader;
import dev.chatops.core.registry.CheckRegistry;
import dev.chatops.core.testing.GatedTransport;
import dev.chatops.core.testing.MutableClock;
import dev.chatops.core.testing.StatusCheck;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliSweepTest {

    private static final String CONFIG = """
            hosts:
              web-01: {transport: local, tags: [web]}
              web-02: {transport: local, tags: [web]}
              web-03: {transport: local, tags: [web]}
            audit:
              file: audit.jsonl
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
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T07:00:00Z"));
    private final GatedTransport transport = new GatedTransport().status("web-02", "down 412");
    private Cli cli;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(dir.resolve("bot.yaml"), CONFIG);
        cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ConfigLoader(Map.of(), dir), dir, clock,
                config -> new BotApp(config, CheckRegistry.of(new StatusCheck()), transport, clock, clock.ticker()));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void sweep_text_printsSummaryThenReportsOfHostsNotHealthy() throws Exception {
        int code = cli.run("sweep", "morning", "--config", "bot.yaml");

        assertEquals(Cli.OK, code, err());
        assertTrue(out().startsWith("""
                ☀️ status morning check · 3 hosts · 08:00 Europe/Berlin
                🔴 web-02  upstream-down: upstream shop_app is down (412× 502)
                🟢 web-01  healthy
                🟢 web-03  healthy
                Details for web-02 below.
                """), out());
        assertTrue(out().contains("[CAUSE FOUND] web-02 · upstream shop_app is down (412× 502)"), out());
        assertTrue(out().contains("Upstream is not running (upstream-down, confidence high)"), out());
        assertEquals(3, transport.sessionsOpened());
        List<String> audit = Files.readAllLines(dir.resolve("audit.jsonl"));
        assertEquals(3, audit.size());
        for (String line : audit) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            assertEquals("schedule", o.get("via").getAsString());
            assertEquals("morning", o.get("user").getAsString());
            assertEquals("allowed", o.get("decision").getAsString());
        }
    }

    @Test
    void sweep_json_hostsWorstFirstWithReports() {
        int code = cli.run("sweep", "morning", "--format", "json");

        assertEquals(Cli.OK, code, err());
        JsonObject root = JsonParser.parseString(out()).getAsJsonObject();
        assertEquals("morning", root.get("schedule").getAsString());
        assertEquals("Europe/Berlin", root.get("zone").getAsString());
        JsonArray hosts = root.getAsJsonArray("hosts");
        assertEquals(3, hosts.size());
        JsonObject worst = hosts.get(0).getAsJsonObject();
        assertEquals("web-02", worst.get("host").getAsString());
        assertEquals("cause-found", worst.get("verdict").getAsString());
        assertEquals("upstream-down", worst.getAsJsonObject("report").getAsJsonArray("causes").get(0).getAsJsonObject()
                .get("id").getAsString());
        assertEquals("healthy", hosts.get(2).getAsJsonObject().get("verdict").getAsString());
    }

    @Test
    void sweep_unknownSchedule_listsConfiguredOnes() {
        assertEquals(Cli.USAGE, cli.run("sweep", "evening"));
        assertEquals("unknown schedule `evening`; configured schedules: morning\n", err());
        assertEquals(0, transport.sessionsOpened());
    }

    @Test
    void sweep_noSchedules_saysHowToAddOne() throws Exception {
        Files.delete(dir.resolve("bot.yaml"));
        assertEquals(Cli.USAGE, cli.run("sweep", "morning"));
        assertTrue(err().startsWith("no schedules are configured; add a schedules: entry (name, cron, zone, channel, "
                + "check, hosts or tags) or pass --config FILE"), err());
    }

    @Test
    void sweep_badUsage_refused() {
        assertEquals(Cli.USAGE, cli.run("sweep"));
        assertTrue(err().startsWith("expected `sweep <schedule-name>`"), err());
        assertEquals(Cli.USAGE, cli.run("sweep", "morning", "--format", "yaml"));
        assertTrue(err().contains("--format must be text or json, not `yaml`"), err());
        assertEquals(Cli.USAGE, cli.run("sweep", "morning", "--fresh"));
        assertEquals(0, transport.sessionsOpened());
    }

    @Test
    void check_allowedAndDenied_eachLeaveAnAuditLine() throws Exception {
        assertEquals(Cli.OK, cli.run("check", "status", "web-01"));
        assertEquals(3, cli.run("check", "status", "db-01"));

        List<String> audit = Files.readAllLines(dir.resolve("audit.jsonl"));
        assertEquals(2, audit.size());
        JsonObject allowed = JsonParser.parseString(audit.get(0)).getAsJsonObject();
        assertEquals("cli", allowed.get("via").getAsString());
        assertEquals("healthy", allowed.get("verdict").getAsString());
        assertEquals("SHA256:web-01", allowed.get("hostKeyFingerprint").getAsString());
        JsonObject denied = JsonParser.parseString(audit.get(1)).getAsJsonObject();
        assertEquals("denied", denied.get("decision").getAsString());
        assertEquals("db-01", denied.get("host").getAsString());
        assertTrue(denied.get("reason").getAsString().startsWith("unknown host `db-01`"));
    }
}
