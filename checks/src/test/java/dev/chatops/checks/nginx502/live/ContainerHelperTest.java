package dev.chatops.checks.nginx502.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.checks.nginx502.parse.container.ContainerScan;
import dev.chatops.nginx.log.LogExcerpt;
import dev.chatops.nginx.log.LogWindow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The root helper nginx502-containers, run for real as root against a container made as Docker runs the
 * official image (checks/src/test/lab/container-helper.sh, with lab/container.py): it names the container,
 * reads its config and its json-file log, and never gives the container's programs root.
 */
class ContainerHelperTest {

    private static final Path HELPER = Path.of("src/main/resources/dev/chatops/checks/nginx502/probe/nginx502-containers");
    private static final Path SCRIPT = Path.of("src/test/lab/container-helper.sh");

    @Test
    void helper_containerMaster_namedWithItsConfigAndRuntimeLog() throws Exception {
        String out = run("");

        Matcher m = Pattern.compile("@@test master=(\\d+) id=([0-9a-f]{64})").matcher(out);
        assertTrue(m.find(), out);
        String pid = m.group(1);
        String id = m.group(2);
        assertTrue(out.contains("@@nginx502 container pid=" + pid + " runtime=docker id=" + id
                + " name=shop-web-1 project=shop service=web "), out);
        assertTrue(out.contains("\n|    location / { proxy_pass http://127.0.0.1:8080; }\n"), out);
        assertTrue(out.contains("@@nginx502 container-log format=json-file path=/var/lib/docker/containers/" + id + "/"
                + id + "-json.log\n"), out);

        // its log files are the official image's links to the runtime's stdout and stderr, read inside it
        assertTrue(out.contains("@@nginx502 container-links\n|/var/log/nginx/error.log /dev/stderr\n"
                + "|/var/log/nginx/access.log /dev/stdout\n"), out);

        ContainerScan.Master master = ContainerScan.parse(out, new LogWindow(Instant.now(), ZoneOffset.UTC,
                Duration.ofMinutes(15))).masters().get(Integer.parseInt(pid));
        assertEquals("docker compose -p shop restart web", master.container().restartCommand());
        assertTrue(master.toRuntimeLog("/var/log/nginx/error.log"));
        LogExcerpt errors = master.logs().stream().filter(l -> l.kind() == LogExcerpt.Kind.ERROR).findFirst()
                .orElseThrow();
        assertTrue(errors.lines().stream().anyMatch(l -> l.contains("connect() failed (111: Connection refused)")),
                errors.toString());
        LogExcerpt access = master.logs().stream().filter(l -> l.kind() == LogExcerpt.Kind.ACCESS).findFirst()
                .orElseThrow();
        assertTrue(access.lines().stream().anyMatch(l -> l.contains("\"GET /cart HTTP/1.1\" 502 ")), access.toString());
    }

    @Test
    void helper_setuidRootProgramInTheContainer_getsNoRoot() throws Exception {
        // the container's "nginx" runs a setuid-root copy of env to write into root's 0700 home
        String out = run("hostile");

        assertTrue(out.contains("\n|Uid:\t65534\t65534\t65534\t65534\n"), out);
        // no supplementary groups: not even root's group 0
        assertTrue(Pattern.compile("\n\\|Groups:[ \t]*\n").matcher(out).find(), out);
        assertTrue(out.contains("\n|CapEff:\t0000000000000000\n"), out);
        assertTrue(out.contains("\n|NoNewPrivs:\t1\n"), out);
        assertTrue(out.contains("@@test marker=absent"), out);
    }

    private static String run(String mode) throws Exception {
        Process id = new ProcessBuilder("id", "-u").start();
        String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        Assumptions.assumeTrue(uid.equals("0"), "the helper runs as root: run this test as root");
        Path work = Files.createTempDirectory("nginx502-container");
        try (LabLock lock = LabLock.acquire(false)) {
            ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString(), HELPER.toAbsolutePath().toString(),
                    work.toString());
            if (!mode.isEmpty()) {
                pb.command().add(mode);
            }
            Process p = pb.redirectErrorStream(true).start();
            byte[] bytes = p.getInputStream().readNBytes(8 * 1024 * 1024);
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), "container-helper.sh did not end");
            String out = new String(bytes, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out);
            return out;
        } finally {
            delete(work);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
