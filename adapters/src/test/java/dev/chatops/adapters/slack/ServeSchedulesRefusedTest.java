package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.adapters.app.BotApp;
import dev.chatops.adapters.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} announced as one of two replicas but without a shared store: it says in one line
 * why it runs no schedules, and answers commands all the same.
 */
class ServeSchedulesRefusedTest {

    private static final String SCHEDULE_AND_REPLICAS = """
            schedules:
              - name: morning
                cron: "0 8 * * MON-FRI"
                zone: Europe/Berlin
                channel: C0123ABCD
                check: nginx502
                hosts: [localhost]
            replicas:
              count: 2
            """;

    @Test
    void serve_replicasWithoutSharedStore_saysWhyNoScheduleRunsAndStillAnswers(@TempDir Path dir) throws Exception {
        int port = ServeCommandTest.freePort();
        try (FakeSlackApi api = FakeSlackApi.start(SlackHarness.BOT_TOKEN, SlackHarness.APP_TOKEN)) {
            Files.writeString(dir.resolve("bot.yaml"), DocsConfig.inHttpMode(DocsConfig.withApiUrl(
                    DocsConfig.complete(), api.apiUrl()), port) + SCHEDULE_AND_REPLICAS);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Clock clock = Clock.systemUTC();
            Cli cli = new Cli(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), SlackHarness.loader(dir), dir, clock,
                    config -> BotApp.start(config, clock));
            AtomicInteger exit = new AtomicInteger(-1);
            Thread serve = new Thread(() -> exit.set(cli.run("serve", "--config", "bot.yaml")), "serve");
            serve.start();
            try {
                long deadline = System.nanoTime() + SlackHarness.WAIT.toNanos();
                while (!err.toString(StandardCharsets.UTF_8).contains("schedules not started") && serve.isAlive()
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                String said = err.toString(StandardCharsets.UTF_8);
                String refusal = said.lines().filter(l -> l.startsWith("schedules not started")).findFirst()
                        .orElseThrow(() -> new AssertionError(said));
                assertEquals("schedules not started: replicas.count is 2 but the history is kept in this process's own "
                        + "store (" + dir.resolve("state") + "), so replicas cannot agree which one posts; give every "
                        + "replica the same PostgreSQL store with state.url", refusal);
                assertFalse(said.contains("schedule morning:"), said);

                String body = SlackHarness.commandBody("/nginx502 localhost", "C0123ABCD", "U0DANA",
                        api.responseUrl("refused-1"));
                SlackHarness.Ack ack = SlackHarness.post(port, body, SlackHarness.signed(body));
                assertEquals("Checking localhost…", ack.text());
                api.await(c -> c.method().equals("chat.update") && !c.text().startsWith("⏳"), SlackHarness.WAIT);
            } finally {
                serve.interrupt();
                serve.join(SlackHarness.WAIT.toMillis());
            }
            assertEquals(0, exit.get(), err.toString(StandardCharsets.UTF_8));
            assertTrue(err.toString(StandardCharsets.UTF_8).endsWith("stopped serving\n"));
        }
    }
}
