package dev.chatops.adapters.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The tls plugin as a user installs it: the jar the reactor built (never on this module's class path) copied
 * into a plugins/ folder, and real certificates made with the plugin's own make-certs.sh.
 */
public final class TlsPlugin {

    public static final String NAME = "shop.example.test";
    private static final Path MAKE_CERTS = Path.of("../tls-check/src/test/resources/make-certs.sh").toAbsolutePath();

    private TlsPlugin() {
    }

    /** The built plugin jar; the build passes its path, and it exists once the reactor packaged tls-check. */
    public static Path builtJar() {
        Path jar = Path.of(System.getProperty("chatops.tlsPluginJar", "../tls-check/target/tls-check.jar"));
        assertTrue(Files.isRegularFile(jar), jar + " is not built: run the tests with mvn verify (the reactor packages "
                + "tls-check before these tests)");
        return jar;
    }

    /** {@code plugins/} under {@code dir} holding the built jar, root-or-owner-only as the bot requires. */
    public static Path install(Path dir) throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Files.copy(builtJar(), plugins.resolve("tls-check.jar"));
        return plugins;
    }

    public static Path makeCerts(Path dir) throws IOException, InterruptedException {
        assertEquals("", run(List.of("sh", MAKE_CERTS.toString(), dir.toString(), NAME)));
        return dir;
    }

    public static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(command + " failed: " + out);
        }
        return out;
    }

    /** Skipped where the real services are missing, except on CI (-Dchatops.requireRealServices=true). */
    public static void needs(boolean present, String why) {
        if (Boolean.getBoolean("chatops.requireRealServices")) {
            assertTrue(present, why);
        }
        Assumptions.assumeTrue(present, why);
    }

    /** {@code flock /tmp/nginx-lab.lock}, held until closed: the check sees every nginx master on the machine. */
    public static AutoCloseable labLock() throws IOException {
        Process p = new ProcessBuilder("flock", "-w", "300", "/tmp/nginx-lab.lock", "sh", "-c", "echo locked; exec cat")
                .redirectErrorStream(true).start();
        String first = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (!"locked".equals(first)) {
            p.destroy();
            needs(false, "another nginx lab held /tmp/nginx-lab.lock for 5 minutes");
        }
        return () -> {
            p.getOutputStream().close();
            p.waitFor();
        };
    }

    /** What the plugin's nginx probe prints for one TLS server on these files (a recorded nginx -T). */
    public static String nginxProbeOutput(Path cert, Path key) {
        return "@@tls instance pid=4242 bin=/usr/sbin/nginx prefix= conf=\n"
                + "@@tls paths prefix=/usr/share/nginx/ conf=/etc/nginx/nginx.conf\n"
                + "@@tls dump exit=0\n"
                + "# configuration file /etc/nginx/nginx.conf:\n"
                + "events {}\n"
                + "http {\n"
                + "    server {\n"
                + "        listen 443 ssl;\n"
                + "        server_name " + NAME + ";\n"
                + "        ssl_certificate " + cert + ";\n"
                + "        ssl_certificate_key " + key + ";\n"
                + "    }\n"
                + "}\n"
                + "@@tls dump-end\n";
    }
}
