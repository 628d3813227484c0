package dev.chatops.store.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests: Debian's {@code postgresql} package, a throw-away cluster made
 * by initdb in a temporary folder, started by pg_ctl on a spare loopback port as an unprivileged OS
 * user ({@value #OS_USER} when the tests run as root), with password (SCRAM) login for
 * {@link #user()}; stopped and deleted on {@link #close()}.
 *
 * <p>When PostgreSQL is not installed the calling test is skipped, or failed on CI
 * ({@code -Dchatops.requireRealServices=true}). Each {@link #newDatabase()} is an empty database of
 * its own, so tests sharing one server do not see each other's rows.
 *
 * <pre>{@code
 * static RealPostgres pg;
 * @BeforeAll static void start() throws Exception { pg = RealPostgres.start(); }
 * @AfterAll static void stop() { if (pg != null) pg.close(); }
 * ... String url = pg.newDatabase(); DriverManager.getConnection(url, pg.user(), pg.password()) ...
 * }</pre>
 */
public final class RealPostgres implements AutoCloseable {

    /** The OS user the server runs as when the tests run as root (postgres refuses to run as root). */
    public static final String OS_USER = "postgres";

    private static final String USER = "chatops";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path dir;
    private final Path data;
    private final Path bin;
    private final int port;
    private final String password;
    private final List<String> asUser;
    private final Thread stopOnExit = new Thread(this::stop, "real-postgres-stop");
    private final AtomicBoolean stopped = new AtomicBoolean();

    private RealPostgres(Path dir, Path bin, int port, String password, List<String> asUser) {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.bin = bin;
        this.port = port;
        this.password = password;
        this.asUser = asUser;
    }

    /** Starts a server, or skips the calling test (fails it on CI) when PostgreSQL cannot run here. */
    public static RealPostgres start() throws IOException, InterruptedException {
        Path bin = binDir();
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> asUser = new ArrayList<>();
        if (root) {
            if (run(List.of("id", "-u", OS_USER), Path.of("/")) != 0) {
                unavailable("the OS user " + OS_USER + " (made by the postgresql package) is missing; "
                        + "run scripts/install-os-packages");
            }
            asUser.addAll(List.of("runuser", "-u", OS_USER, "--"));
        }
        Path dir = Files.createTempDirectory("chatops-pg-");
        String password = "pw-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
        Path pwfile = dir.resolve("pwfile");
        Files.writeString(pwfile, password + "\n", UTF_8);
        if (root) {
            chown(dir);
            chown(pwfile);
        }
        List<String> initdb = new ArrayList<>(asUser);
        initdb.addAll(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", USER,
                "--pwfile=" + pwfile, "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "-E", "UTF8",
                "--locale=C", "--no-sync"));
        if (run(initdb, dir) != 0) {
            String log = Files.exists(dir.resolve("cmd.log")) ? Files.readString(dir.resolve("cmd.log")) : "";
            deleteTree(dir);
            throw new IllegalStateException("initdb failed:\n" + log);
        }
        Files.deleteIfExists(pwfile);
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            int port = sparePort();
            RealPostgres pg = new RealPostgres(dir, bin, port, password, asUser);
            try {
                pg.pgCtlStart();
                // a test JVM that is stopped before close() must not leave a server behind
                Runtime.getRuntime().addShutdownHook(pg.stopOnExit);
                return pg;
            } catch (IllegalStateException e) {
                last = e; // someone took the port between the probe and the start
            }
        }
        deleteTree(dir);
        throw last;
    }

    private void pgCtlStart() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(asUser);
        // fsync off and no full-page writes: a throw-away cluster need not survive a crash
        cmd.addAll(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                dir.resolve("server.log").toString(), "-w", "-t", "30", "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off "
                        + "-c synchronous_commit=off -c max_connections=100", "start"));
        if (run(cmd, dir) != 0) {
            String log = Files.exists(dir.resolve("server.log")) ? Files.readString(dir.resolve("server.log")) : "";
            throw new IllegalStateException("pg_ctl start failed on port " + port + ":\n" + log);
        }
    }

    /** A new empty database; returns its JDBC URL (without credentials). */
    public String newDatabase() {
        String name = "db" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, password);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return url(name);
    }

    /** The JDBC URL of one database on this server. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    /** A superuser of this server. */
    public String user() {
        return USER;
    }

    public String password() {
        return password;
    }

    /** The server's own log, for a failing test's message. */
    public String log() {
        try {
            return Files.readString(dir.resolve("server.log"));
        } catch (IOException e) {
            return "(no server log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // the JVM is exiting and the hook stops the server
        }
        stop();
    }

    private void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        try {
            List<String> cmd = new ArrayList<>(asUser);
            cmd.addAll(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w",
                    "stop"));
            run(cmd, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deleteTree(dir);
        }
    }

    /** The newest installed PostgreSQL's bin folder (Debian keeps each major version apart). */
    private static Path binDir() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        Optional<Path> found = Optional.empty();
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                found = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                        .max(Comparator.comparingInt(RealPostgres::major));
            }
        }
        if (found.isEmpty()) {
            unavailable("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); run "
                    + "scripts/install-os-packages (as root)");
        }
        return found.get();
    }

    private static int major(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void unavailable(String why) {
        if (Boolean.getBoolean("chatops.requireRealServices")) {
            fail(why + " (chatops.requireRealServices=true, so this test must run)");
        }
        assumeTrue(false, why);
    }

    private static int sparePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void chown(Path p) throws IOException, InterruptedException {
        if (run(List.of("chown", OS_USER, p.toString()), Path.of("/")) != 0) {
            throw new IllegalStateException("cannot chown " + p + " to " + OS_USER);
        }
    }

    private static int run(List<String> cmd, Path dir) throws IOException, InterruptedException {
        Path log = Files.isWritable(dir) && !dir.equals(Path.of("/")) ? dir.resolve("cmd.log") : null;
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.redirectOutput(log == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " did not finish within 60 s");
        }
        return p.exitValue();
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a leftover temp file is harmless
                }
            });
        } catch (IOException e) {
            // ditto
        }
    }
}
