package dev.chatops.adapters.slack;

import dev.chatops.adapters.app.BotApp;
import dev.chatops.adapters.cli.Cli;
import dev.chatops.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The bot's command line in a JVM of its own, as {@code Main} runs it, but on a clock that reads
 * {@code replica.clock.at} at a real time and runs on from there: several replicas share one time
 * that is a few seconds before a schedule is due. The real time is the epoch milliseconds written
 * to the file {@code replica.clock.go}, which the JVM waits for (so the time its start takes on a
 * busy machine does not count), or the start of the JVM when there is none.
 */
public final class ReplicaMain {

    private ReplicaMain() {
    }

    public static void main(String[] args) throws Exception {
        Instant at = Instant.parse(System.getProperty("replica.clock.at", Instant.now().toString()));
        Instant realAt = Instant.now();
        String go = System.getProperty("replica.clock.go", "");
        if (!go.isEmpty()) {
            System.err.println("replica waiting for " + go);
            Path file = Path.of(go);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!Files.exists(file) || Files.readString(file).isBlank()) {
                if (System.nanoTime() > deadline) {
                    System.err.println("no go after 2 minutes");
                    System.exit(9);
                }
                Thread.sleep(20);
            }
            realAt = Instant.ofEpochMilli(Long.parseLong(Files.readString(file).strip()));
        }
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(realAt, at));
        Cli cli = new Cli(System.out, System.err, ConfigLoader.fromEnvironment(), Path.of("").toAbsolutePath(), clock,
                config -> BotApp.start(config, clock));
        System.exit(cli.run(args));
    }
}
