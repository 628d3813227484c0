package dev.chatops.adapters.ssh;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.chatops.config.SshSettings;
import dev.chatops.core.host.Host;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real OpenSSH sshd on a free loopback port, with a throw-away host key and user keys made by
 * ssh-keygen in a temporary directory, its own sshd_config, authorized_keys and pid file there,
 * and stopped by pid when closed. Root logs in with the authorized keys, and so does the
 * unprivileged {@link #UNPRIVILEGED_USER} (made on first use, when running as root).
 */
public final class OpenSshServer implements AutoCloseable {

    /** A user without password and without any sudo rights, for the "sudo -n refused" cases. */
    static final String UNPRIVILEGED_USER = "chatops-test";

    private final Path dir;
    private final int port;
    private final Process process;

    private OpenSshServer(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Starts sshd, or skips the calling test (fails it on CI) when sshd cannot run here. */
    public static OpenSshServer start() throws IOException, InterruptedException {
        return start(List.of());
    }

    /** Starts sshd with these sshd_config lines added to the fixture's own. */
    static OpenSshServer start(List<String> extraConfig) throws IOException, InterruptedException {
        Path sshd = RealServices.binary("sshd");
        RealServices.binary("ssh-keygen");
        if (!RealServices.isRoot()) {
            RealServices.unavailable("sshd must run as root to log users in; run the tests as root");
        }
        Path privsep = Path.of("/run/sshd");
        if (!Files.isDirectory(privsep)) {
            // sshd's privilege separation directory; packages create it at boot, containers lack it
            Files.createDirectories(privsep);
        }
        Path dir = Files.createTempDirectory("chatops-sshd-");
        // the unprivileged user reads authorized_keys as itself
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        keygen(dir.resolve("host_ed25519"), "ed25519", "");
        keygen(dir.resolve("user_ed25519"), "ed25519", "");
        keygen(dir.resolve("user_rsa"), "rsa", "");
        keygen(dir.resolve("user_protected"), "ed25519", "correct horse battery");
        keygen(dir.resolve("stranger_ed25519"), "ed25519", "");
        keygen(dir.resolve("impostor_host_ed25519"), "ed25519", "");
        Path authorized = dir.resolve("authorized_keys");
        // the options docs/ssh.md recommends for the bot's key: no pty, no agent or X11 forwarding;
        // port forwarding only because the same key and server also play the jump host
        StringBuilder keys = new StringBuilder();
        for (String pub : List.of("user_ed25519.pub", "user_rsa.pub", "user_protected.pub")) {
            keys.append("restrict,port-forwarding ").append(Files.readString(dir.resolve(pub)));
        }
        Files.writeString(authorized, keys);
        Files.setPosixFilePermissions(authorized, PosixFilePermissions.fromString("rw-r--r--"));
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            Files.writeString(dir.resolve("sshd_config"), config(dir, port) + String.join("\n", extraConfig) + "\n");
            // -D: stay in the foreground as our child, so its pid is ours to stop; -E: log to a file
            // (with -e, sessions' own debug lines would land in the probes' stderr)
            Process p = new ProcessBuilder(sshd.toString(), "-D", "-E", dir.resolve("sshd.log").toString(), "-f",
                    dir.resolve("sshd_config").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.out").toFile()).start();
            if (awaitListening(p, port)) {
                return new OpenSshServer(dir, port, p);
            }
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            last = new IOException("sshd did not start on port " + port + ": " + Files.readString(dir.resolve("sshd.out"))
                    + (Files.exists(dir.resolve("sshd.log")) ? Files.readString(dir.resolve("sshd.log")) : ""));
        }
        deleteTree(dir);
        throw last;
    }

    private static String config(Path dir, int port) {
        return String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + dir.resolve("host_ed25519"),
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "StrictModes no",
                "UsePAM no",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "AllowTcpForwarding yes",
                "X11Forwarding no",
                "PrintMotd no",
                "UseDNS no",
                // debug1 logs the direct-tcpip requests a jump host serves
                "LogLevel DEBUG1",
                "");
    }

    public int port() {
        return port;
    }

    Path dir() {
        return dir;
    }

    public Path userKey() {
        return dir.resolve("user_ed25519");
    }

    Path rsaUserKey() {
        return dir.resolve("user_rsa");
    }

    Path protectedUserKey() {
        return dir.resolve("user_protected");
    }

    static String protectedKeyPassphrase() {
        return "correct horse battery";
    }

    Path strangerKey() {
        return dir.resolve("stranger_ed25519");
    }

    Path hostKeyPub() {
        return dir.resolve("host_ed25519.pub");
    }

    /** The base64 blob of the server's host key, as in a .pub or known_hosts line. */
    String hostKeyBlob() {
        return read(hostKeyPub()).split(" ")[1];
    }

    /** The SHA256 fingerprint of the host key as {@code ssh-keygen -lf} prints it. */
    String hostKeyFingerprintByKeygen() throws IOException, InterruptedException {
        return run("ssh-keygen", "-lf", hostKeyPub().toString()).split(" ")[1];
    }

    public String log() {
        return read(dir.resolve("sshd.log"));
    }

    /** A known_hosts file with this content, in the temporary directory. */
    Path knownHosts(String name, String content) {
        Path file = dir.resolve(name);
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** known_hosts naming the server {@code [127.0.0.1]:port}, as ssh-keyscan writes it. */
    public Path knownHosts() {
        return knownHosts("known_hosts", "[127.0.0.1]:" + port + " ssh-ed25519 " + hostKeyBlob() + "\n");
    }

    /** known_hosts that holds another ed25519 key for this server: the host key "changed". */
    Path knownHostsWithChangedKey() {
        String impostor = read(dir.resolve("impostor_host_ed25519.pub")).split(" ")[1];
        return knownHosts("known_hosts_changed", "[127.0.0.1]:" + port + " ssh-ed25519 " + impostor + "\n");
    }

    /** The impostor key's fingerprint, as the changed entry lists it. */
    String impostorFingerprintByKeygen() throws IOException, InterruptedException {
        return run("ssh-keygen", "-lf", dir.resolve("impostor_host_ed25519.pub").toString()).split(" ")[1];
    }

    /** known_hosts as {@code ssh-keyscan -H} writes it (hashed names), read from the live server. */
    Path knownHostsHashedByKeyscan() throws IOException, InterruptedException {
        String scanned = run("ssh-keyscan", "-H", "-t", "ed25519", "-p", String.valueOf(port), "127.0.0.1");
        if (!scanned.startsWith("|1|")) {
            throw new IOException("ssh-keyscan -H did not print a hashed entry: " + scanned);
        }
        return knownHosts("known_hosts_hashed", scanned);
    }

    SshSettings settings(String user, Path identity, Path knownHosts) {
        return new SshSettings(user, identity, Optional.empty(), knownHosts, Duration.ofSeconds(5),
                Duration.ofSeconds(20), Duration.ofSeconds(60), false, Optional.empty());
    }

    SshSettings settings() {
        return settings("root", userKey(), knownHosts());
    }

    Host host(String name) {
        return Host.ssh(name, "127.0.0.1", port, Set.of());
    }

    /**
     * Makes sure {@link #UNPRIVILEGED_USER} exists and may log in with a key: no password, not
     * locked (sshd without PAM refuses locked accounts), no sudo rights. Idempotent.
     */
    static void ensureUnprivilegedUser() throws IOException, InterruptedException {
        if (!RealServices.isRoot()) {
            RealServices.unavailable("creating the test user " + UNPRIVILEGED_USER + " needs root");
        }
        if (exec("id", "-u", UNPRIVILEGED_USER) != 0) {
            int rc = exec(RealServices.binary("useradd").toString(), "--system", "--create-home", "--shell", "/bin/sh",
                    UNPRIVILEGED_USER);
            // 9: created meanwhile by a parallel run
            if (rc != 0 && rc != 9) {
                throw new IOException("useradd " + UNPRIVILEGED_USER + " failed with exit " + rc);
            }
        }
        // '*': no password can match, yet the account is not locked ('!'), so key logins work
        if (exec(RealServices.binary("usermod").toString(), "-p", "*", UNPRIVILEGED_USER) != 0) {
            throw new IOException("usermod -p '*' " + UNPRIVILEGED_USER + " failed");
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        // sshd forks one process per connection; stop those of ours first, then the listener
        List<ProcessHandle> children = new ArrayList<>(process.descendants().toList());
        children.forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        children.forEach(ProcessHandle::destroyForcibly);
        deleteTree(dir);
    }

    private static boolean awaitListening(Process p, int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline && p.isAlive()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        return false;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static void keygen(Path file, String type, String passphrase) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C",
                "chatops-test-" + file.getFileName(), "-f", file.toString()));
        if (type.equals("rsa")) {
            cmd.addAll(List.of("-b", "3072"));
        }
        run(cmd.toArray(String[]::new));
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + err);
        }
        return out;
    }

    private static int exec(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish");
        }
        return p.exitValue();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
