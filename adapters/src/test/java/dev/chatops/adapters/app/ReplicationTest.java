package dev.chatops.adapters.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.config.BotConfig;
import dev.chatops.config.ConfigLoader;
import dev.chatops.core.error.BotException;
import dev.chatops.core.registry.CheckRegistry;
import dev.chatops.core.testing.GatedTransport;
import dev.chatops.core.testing.StatusCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without a shared store, only one bot process runs the schedules, and the others say why not. */
class ReplicationTest {

    private static BotConfig config(Path dir, String extra) throws Exception {
        Path file = dir.resolve("bot.yaml");
        Files.writeString(file, """
                hosts:
                  web-01: {transport: local}
                schedules:
                  - name: morning
                    cron: "0 8 * * MON-FRI"
                    zone: Europe/Berlin
                    channel: C0456EFGH
                    check: status
                    hosts: [web-01]
                """ + extra);
        return new ConfigLoader(Map.of(), dir).load(file);
    }

    private static BotApp app(BotConfig config) {
        return new BotApp(config, CheckRegistry.of(new StatusCheck()), new GatedTransport(), Clock.systemUTC());
    }

    @Test
    void claimSchedules_secondBotOnTheSameStateDir_refusedNamingTheLockAndTheWayOut(@TempDir Path dir)
            throws Exception {
        BotConfig config = config(dir, "");
        try (BotApp first = app(config); BotApp second = app(config)) {
            assertEquals(Optional.empty(), first.claimSchedules());
            assertEquals(Optional.empty(), first.claimSchedules(), "claiming again keeps the claim");
            Path state = dir.resolve("state");
            assertEquals(Optional.of("schedules not started: another bot process already runs the schedules of "
                    + state + " (it holds " + state.resolve("schedules.lock") + "); run one bot per state.dir, or "
                    + "give every replica the same PostgreSQL store with state.url"), second.claimSchedules());
            BotException e = assertThrows(BotException.class, () -> second.startSchedules((s, r) -> { }));
            assertTrue(e.getMessage().startsWith("schedules not started: another bot process"), e.getMessage());

            first.close();
            assertEquals(Optional.empty(), second.claimSchedules(), "free once the first bot stopped");
        }
    }

    @Test
    void claimSchedules_replicasCountAboveOneWithoutSharedStore_refusedSayingSo(@TempDir Path dir) throws Exception {
        try (BotApp app = app(config(dir, "replicas:\n  count: 2\n"))) {
            String refusal = app.claimSchedules().orElseThrow();
            assertTrue(refusal.startsWith("schedules not started: replicas.count is 2 but the history is kept in this "
                    + "process's own store"), refusal);
            assertTrue(refusal.endsWith("give every replica the same PostgreSQL store with state.url"), refusal);
            assertTrue(!refusal.contains("\n"), "one sentence: " + refusal);
        }
    }

    @Test
    void claimSchedules_noSchedules_nothingToClaim(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bot.yaml");
        Files.writeString(file, "hosts:\n  web-01: {transport: local}\nreplicas:\n  count: 3\n");
        try (BotApp app = app(new ConfigLoader(Map.of(), dir).load(file))) {
            assertEquals(Optional.empty(), app.claimSchedules());
            assertTrue(!Files.exists(dir.resolve("state").resolve("schedules.lock")), "no lock taken");
        }
    }
}
