package dev.chatops.adapters.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.chatops.adapters.app.BotApp;
import dev.chatops.adapters.cli.Cli;
import dev.chatops.config.ConfigLoader;
import dev.chatops.core.host.Host;
import dev.chatops.core.registry.CheckRegistry;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.transport.Transport;
import dev.chatops.core.transport.TransportException;
import dev.chatops.core.transport.TransportSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet sweep as an operator runs it, {@code sweep <schedule>} on the command line, against a
 * real sshd that answers for fifty host entries: every host is checked over its own SSH
 * connection, never more at once than {@code limits.concurrentHosts}, and the summary lists all
 * fifty. sshd's default MaxStartups (10) would drop connections beyond ten unauthenticated at
 * once, so a limit above that would show up here as unreachable hosts.
 */
class SshFleetSweepTest {

    private static final int HOSTS = 50;
    private static final int CONCURRENT_HOSTS = 8;

    /** A check with one harmless probe, healthy only when the probe really ran on the other side. */
    private static final class EchoCheck implements Check {
        @Override
        public String name() {
            return "fleet-echo";
        }

        @Override
        public String help() {
            return "Says whether a host runs a command over SSH. Usage: /fleet-echo <host>";
        }

        @Override
        public List<Probe> probes(CheckOptions options) {
            return List.of(Probe.of("echo", "echo fleet-ok"));
        }

        @Override
        public Diagnosis diagnose(Evidence evidence) {
            String said = evidence.stdout("echo").strip();
            return said.equals("fleet-ok") ? Diagnosis.healthy("the probe ran", List.of())
                    : Diagnosis.inconclusive("the probe said `" + said + "`", List.of());
        }
    }

    /** Counts sessions as the bot opens them: all of them, and the most open at once. */
    private static final class CountingTransport implements Transport {
        private final Transport inner;
        private final AtomicInteger opened = new AtomicInteger();
        private final AtomicInteger open = new AtomicInteger();
        private final AtomicInteger mostAtOnce = new AtomicInteger();

        CountingTransport(Transport inner) {
            this.inner = inner;
        }

        @Override
        public TransportSession open(Host host) throws TransportException {
            opened.incrementAndGet();
            mostAtOnce.accumulateAndGet(open.incrementAndGet(), Math::max);
            TransportSession session;
            try {
                session = inner.open(host);
            } catch (RuntimeException e) {
                open.decrementAndGet();
                throw e;
            }
            return new TransportSession() {
                @Override
                public Map<String, ProbeResult> run(List<Probe> probes) {
                    return session.run(probes);
                }

                @Override
                public Optional<String> hostKeyFingerprint() {
                    return session.hostKeyFingerprint();
                }

                @Override
                public void close() {
                    try {
                        session.close();
                    } finally {
                        open.decrementAndGet();
                    }
                }
            };
        }
    }

    private static String config(OpenSshServer sshd) {
        StringBuilder yaml = new StringBuilder()
                .append("ssh:\n  user: root\n  identityFile: ").append(sshd.userKey())
                .append("\n  knownHosts: ").append(sshd.knownHosts())
                .append("\n  connectTimeout: 10s\n  commandTimeout: 20s\n  runTimeout: 60s\n")
                .append("limits:\n  concurrentHosts: ").append(CONCURRENT_HOSTS).append("\n  queue: 4\n")
                .append("audit:\n  file: audit.jsonl\n")
                .append("hosts:\n");
        for (int i = 0; i < HOSTS; i++) {
            yaml.append(String.format("  web-%02d:\n    address: 127.0.0.1\n    port: %d\n    tags: [fleet]\n", i,
                    sshd.port()));
        }
        return yaml.append("""
                schedules:
                  - name: fleet
                    cron: "0 8 * * MON-FRI"
                    zone: Europe/Berlin
                    channel: C0FLEET
                    check: fleet-echo
                    tags: [fleet]
                """).toString();
    }

    @Test
    void sweep_fiftyHostEntriesOnOneSshd_allHealthyOneConnectionEachWithinTheLimit(@TempDir Path dir)
            throws Exception {
        try (OpenSshServer sshd = OpenSshServer.start()) {
            Files.writeString(dir.resolve("bot.yaml"), config(sshd));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Clock clock = Clock.systemUTC();
            CountingTransport[] counting = new CountingTransport[1];
            Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), new ConfigLoader(Map.of(), dir), dir, clock,
                    c -> {
                        counting[0] = new CountingTransport(new SshTransport(c.ssh().orElseThrow()));
                        return new BotApp(c, CheckRegistry.of(new EchoCheck()), counting[0], clock);
                    });

            int exit = cli.run("sweep", "fleet", "--config", "bot.yaml");

            String summary = out.toString(StandardCharsets.UTF_8);
            assertEquals(Cli.OK, exit, err.toString(StandardCharsets.UTF_8));
            List<String> lines = summary.lines().toList();
            assertTrue(lines.get(0).contains("fleet-echo fleet check · 50 hosts · "), lines.get(0));
            for (int i = 0; i < HOSTS; i++) {
                assertTrue(lines.contains(String.format("🟢 web-%02d  healthy", i)), "web-" + i + " in:\n" + summary);
            }
            assertEquals("All 50 hosts are healthy.", lines.get(HOSTS + 1));
            assertFalse(summary.contains("unreachable"), summary);

            assertEquals(HOSTS, counting[0].opened.get(), "one session per host");
            int most = counting[0].mostAtOnce.get();
            assertTrue(most <= CONCURRENT_HOSTS, "at most " + CONCURRENT_HOSTS + " at once, saw " + most);
            assertTrue(most > 1, "hosts are checked in parallel, saw " + most + " at once");
            long accepted = sshd.log().lines().filter(l -> l.contains("Accepted publickey for root")).count();
            assertEquals(HOSTS, accepted, "SSH connections sshd accepted");

            List<String> audit = Files.readAllLines(dir.resolve("audit.jsonl"));
            assertEquals(HOSTS, audit.size());
            String fingerprint = "ssh-ed25519 " + sshd.hostKeyFingerprintByKeygen();
            for (String line : audit) {
                JsonObject o = JsonParser.parseString(line).getAsJsonObject();
                assertEquals("healthy", o.get("verdict").getAsString(), line);
                assertEquals(fingerprint, o.get("hostKeyFingerprint").getAsString(), line);
            }
        }
    }
}
