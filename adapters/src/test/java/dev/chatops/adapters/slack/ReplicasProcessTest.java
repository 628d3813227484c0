package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.adapters.ssh.OpenSshServer;
import dev.chatops.store.testing.RealPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real bot processes serving one configuration, with one real PostgreSQL store, one real sshd
 * and one fake Slack (HTTP mode, each replica on its own port). Twenty people asking about the same
 * host across both cost one SSH login; a schedule due at the same moment on both is posted once;
 * and when the replica sweeping a slow host is killed mid-sweep, the other posts that sweep once its
 * lease has run out.
 */
class ReplicasProcessTest {

    /** A Monday 08:00 in Berlin: when both schedules are due. */
    private static final Instant DUE = Instant.parse("2026-11-23T07:00:00Z");
    /** How far ahead of DUE the replicas' clocks start: time for both to connect and listen. */
    private static final Duration LEAD = Duration.ofSeconds(12);
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern HOLDER_PID = Pattern.compile("^[^/]*/(\\d+)/");

    private static String config(int slackPort, String apiUrl, OpenSshServer sshd, int silentPort, String pgUrl,
                                 boolean schedules) {
        String yaml = """
                slack:
                  mode: http
                  port: %d
                  apiUrl: %s
                  botToken: ${SLACK_BOT_TOKEN}
                  signingSecret: ${SLACK_SIGNING_SECRET}
                commands:
                  /nginx502: nginx502
                ssh:
                  user: root
                  identityFile: %s
                  knownHosts: %s
                  connectTimeout: 8s
                hosts:
                  web-test: {address: 127.0.0.1, port: %d}
                  web-silent: {address: 127.0.0.1, port: %d}
                cache:
                  ttl: 60s
                state:
                  url: %s
                  user: ${PGUSER}
                  password: ${PGPASSWORD}
                replicas:
                  count: 2
                  lease: %ds
                """.formatted(slackPort, apiUrl, sshd.userKey(), sshd.knownHosts(), sshd.port(), silentPort, pgUrl,
                LEASE.toSeconds());
        return schedules ? yaml + """
                schedules:
                  - name: morning
                    cron: "0 8 * * MON-FRI"
                    zone: Europe/Berlin
                    channel: C0123ABCD
                    check: nginx502
                    hosts: [web-test]
                  - name: slow
                    cron: "0 8 * * MON-FRI"
                    zone: Europe/Berlin
                    channel: C0SLOW
                    check: nginx502
                    hosts: [web-silent]
                """ : yaml;
    }

    private static Process launch(Path dir, String name, String yaml, RealPostgres pg, Path go) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        Files.writeString(home.resolve("bot.yaml"), yaml);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx192m", "-cp", System.getProperty("java.class.path"),
                "-Dreplica.clock.at=" + DUE.minus(LEAD), "-Dreplica.clock.go=" + go,
                ReplicaMain.class.getName(), "serve", "--config", "bot.yaml")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("output.log").toFile());
        Map<String, String> env = pb.environment();
        env.put("SLACK_BOT_TOKEN", SlackHarness.BOT_TOKEN);
        env.put("SLACK_SIGNING_SECRET", SlackHarness.SIGNING_SECRET);
        env.put("PGUSER", pg.user());
        env.put("PGPASSWORD", pg.password());
        env.put("HOME", home.toString());
        return pb.start();
    }

    private static String output(Path dir, String name) throws IOException {
        Path log = dir.resolve(name).resolve("output.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    private static int logins(OpenSshServer sshd) {
        return (int) sshd.log().lines().filter(l -> l.contains("Accepted publickey for root")).count();
    }

    private static void awaitListening(int port, Process bot, Path dir, String name) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline && bot.isAlive()) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError(name + " never listened on port " + port + ":\n" + output(dir, name));
    }

    /** The summaries of a schedule's sweep: its channel, its title, not in a thread. */
    private static List<FakeSlackApi.Call> summaries(FakeSlackApi api, String schedule, String channel) {
        return api.calls("chat.postMessage").stream()
                .filter(c -> c.channel().equals(channel) && c.threadTs().isEmpty() && c.answeredOk()
                        && c.text().contains("nginx502 " + schedule + " check · "))
                .toList();
    }

    /** The replica holding the lease whose name starts with {@code prefix}, by its process id. */
    private static Optional<Long> holderPid(RealPostgres pg, String url, String prefix) {
        try (Connection c = DriverManager.getConnection(url, pg.user(), pg.password());
             PreparedStatement s = c.prepareStatement("SELECT holder FROM leases WHERE name LIKE ? AND done = 0 "
                     + "AND until_ms > 0")) {
            s.setString(1, prefix + "%");
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    Matcher m = HOLDER_PID.matcher(rs.getString(1));
                    return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
                }
            }
        } catch (java.sql.SQLException e) {
            // the replicas make the tables when they first use the store
        }
        return Optional.empty();
    }

    private static <T> T await(java.util.concurrent.Callable<Optional<T>> probe, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> v = probe.call();
            if (v.isPresent()) {
                return v.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    private static boolean stop(Process p) throws InterruptedException {
        if (!p.isAlive()) {
            return true;
        }
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return false;
        }
        return true;
    }

    private static RealPostgres pg;
    private static OpenSshServer sshd;
    private static ServerSocket silent;
    private static final List<Socket> HELD = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServices() throws Exception {
        pg = RealPostgres.start();
        sshd = OpenSshServer.start();
        // a host that takes the TCP connection and never says a word: each sweep of it lasts ssh.connectTimeout
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!silent.isClosed()) {
                try {
                    HELD.add(silent.accept());
                } catch (IOException e) {
                    return;
                }
            }
        }, "silent-host");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterAll
    static void stopServices() throws Exception {
        if (silent != null) {
            silent.close();
        }
        for (Socket s : HELD) {
            s.close();
        }
        if (sshd != null) {
            sshd.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    /** Two replicas on one fresh database; waits until both listen (and, with a go file, until their clock runs). */
    private static List<Process> replicas(Path dir, FakeSlackApi api, String url, int portA, int portB,
                                          boolean schedules) throws Exception {
        Path go = dir.resolve("go");
        Process a = launch(dir, "a", config(portA, api.apiUrl(), sshd, silent.getLocalPort(), url, schedules), pg, go);
        Process b = launch(dir, "b", config(portB, api.apiUrl(), sshd, silent.getLocalPort(), url, schedules), pg, go);
        // the shared clock starts once both JVMs are up, however long starting took on a busy machine
        await(() -> output(dir, "a").contains("replica waiting") && output(dir, "b").contains("replica waiting")
                ? Optional.of(true) : Optional.empty(), "both JVMs to start");
        Files.writeString(go, Long.toString(Instant.now().toEpochMilli()));
        awaitListening(portA, a, dir, "a");
        awaitListening(portB, b, dir, "b");
        return List.of(a, b);
    }

    @Test
    void twentyAsksSplitAcrossTwoReplicas_oneSshLogin(@TempDir Path dir) throws Exception {
        try (FakeSlackApi api = FakeSlackApi.start(SlackHarness.BOT_TOKEN, SlackHarness.APP_TOKEN)) {
            int portA = ServeCommandTest.freePort();
            int portB = ServeCommandTest.freePort();
            List<Process> replicas = replicas(dir, api, pg.newDatabase(), portA, portB, false);
            try {
                int before = logins(sshd);
                ExecutorService people = Executors.newFixedThreadPool(20);
                List<Future<SlackHarness.Ack>> acks = new ArrayList<>();
                try {
                    for (int i = 0; i < 20; i++) {
                        int port = i % 2 == 0 ? portA : portB;
                        String body = SlackHarness.commandBody("/nginx502 web-test", "C0123ABCD", "U0P" + i,
                                api.responseUrl("ask-" + i));
                        acks.add(people.submit(() -> SlackHarness.post(port, body, SlackHarness.signed(body))));
                    }
                    for (Future<SlackHarness.Ack> ack : acks) {
                        assertEquals(200, ack.get(30, TimeUnit.SECONDS).status());
                    }
                } finally {
                    people.shutdownNow();
                }
                Predicate<FakeSlackApi.Call> answered = c -> c.method().equals("chat.update")
                        && c.text().contains("web-test") && !c.text().startsWith("⏳");
                await(() -> api.calls("chat.update").stream().filter(answered).count() >= 20
                        ? Optional.of(true) : Optional.empty(), "20 answers");
                assertEquals(1, logins(sshd) - before, "SSH logins for 20 asks across two replicas:\n" + sshd.log());
                for (String name : List.of("a", "b")) {
                    assertTrue(replicas.get(name.equals("a") ? 0 : 1).isAlive(), output(dir, name));
                }
            } finally {
                for (Process p : replicas) {
                    stop(p);
                }
            }
        }
    }

    @Test
    void scheduleDueOnTwoReplicas_postedOnce_andTakenOverWhenTheSweepingOneIsKilled(@TempDir Path dir)
            throws Exception {
        try (FakeSlackApi api = FakeSlackApi.start(SlackHarness.BOT_TOKEN, SlackHarness.APP_TOKEN)) {
            api.channel("C0SLOW", FakeSlackApi.ChannelKind.PUBLIC_MEMBER);
            String url = pg.newDatabase();
            List<Process> replicas = replicas(dir, api, url, ServeCommandTest.freePort(), ServeCommandTest.freePort(),
                    true);
            Process a = replicas.get(0);
            Process b = replicas.get(1);
            try {
                assertTrue(summaries(api, "morning", "C0123ABCD").isEmpty(), "the replicas listened only after the "
                        + "schedules were due: the machine is too busy for this test");

                // both schedules come due on both replicas; kill whichever holds the slow one's slot at once,
                // while it is still sweeping the silent host
                long victim = await(() -> holderPid(pg, url, "sweep/slow/"), "a replica sweeping the slow host");
                Process killed = replicas.stream().filter(p -> p.pid() == victim).findFirst()
                        .orElseThrow(() -> new AssertionError("lease held by an unknown process " + victim));
                Process survivor = killed == a ? b : a;
                String survivorName = survivor == a ? "a" : "b";
                assertTrue(summaries(api, "slow", "C0SLOW").isEmpty(), "the slow sweep was not over yet");
                Instant killedAt = Instant.now();
                killed.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

                FakeSlackApi.Call slow = await(() -> summaries(api, "slow", "C0SLOW").stream().findFirst(),
                        "the slow sweep, posted by the survivor");
                Duration took = Duration.between(killedAt, Instant.now());
                // the survivor waits out the lease, then sweeps the silent host itself (connectTimeout)
                assertTrue(took.compareTo(LEASE.plus(Duration.ofSeconds(8)).plus(Duration.ofSeconds(10))) < 0,
                        "taken over after " + took);
                assertTrue(slow.text().contains("1 host"), slow.text());
                assertTrue(survivor.isAlive(), output(dir, survivorName));
                assertTrue(output(dir, survivorName).contains("taking over the sweep due at"), output(dir, survivorName));

                // the fast one was posted once, by whichever replica took it (the survivor, if the killed one had)
                FakeSlackApi.Call morning = await(() -> summaries(api, "morning", "C0123ABCD").stream().findFirst(),
                        "the morning sweep");
                assertTrue(morning.text().contains("1 host"), morning.text());

                // a lease's length later, still one post of each
                Thread.sleep(LEASE.toMillis() + 1000);
                assertEquals(1, summaries(api, "morning", "C0123ABCD").size(), FakeSlackApi.describe(api.calls()));
                assertEquals(1, summaries(api, "slow", "C0SLOW").size(), FakeSlackApi.describe(api.calls()));
            } finally {
                for (Process p : replicas) {
                    stop(p);
                }
            }
        }
    }
}
