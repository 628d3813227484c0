package dev.chatops.adapters.slack;

import dev.chatops.adapters.app.BotApp;
import dev.chatops.adapters.cli.Cli;
import dev.chatops.config.ConfigLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The bot's command line in a JVM of its own, as {@code Main} runs it, but on a clock that reads
 * {@code replica.clock.at} at the real time {@code replica.clock.realAt} (epoch ms) and runs on from
 * there: several replicas started a moment apart share one time that is a few seconds before a
 * schedule is due.
 */
public final class ReplicaMain {

    private ReplicaMain() {
    }

    public static void main(String[] args) {
        Instant at = Instant.parse(System.getProperty("replica.clock.at"));
        Instant realAt = Instant.ofEpochMilli(Long.parseLong(System.getProperty("replica.clock.realAt")));
        Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(realAt, at));
        Cli cli = new Cli(System.out, System.err, ConfigLoader.fromEnvironment(), Path.of("").toAbsolutePath(), clock,
                config -> BotApp.start(config, clock));
        System.exit(cli.run(args));
    }
}
