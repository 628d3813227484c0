package dev.chatops.checks.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real certificates, made by openssl at test time with make-certs.sh (the lab uses the same script). */
final class TestCerts {

    static final String NAME = "shop.example.test";
    static final Path SCRIPT = Path.of("src/test/resources/make-certs.sh").toAbsolutePath();

    private final Path dir;

    private TestCerts(Path dir) {
        this.dir = dir;
    }

    static TestCerts make(Path dir) throws IOException, InterruptedException {
        String out = run(List.of("sh", SCRIPT.toString(), dir.toString(), NAME));
        assertEquals("", out, "make-certs.sh printed something");
        return new TestCerts(dir);
    }

    Path path(String file) {
        return dir.resolve(file);
    }

    String text(String file) throws IOException {
        return Files.readString(dir.resolve(file));
    }

    /** What {@code openssl pkey -in KEY -pubout} prints on the host. */
    String publicHalf(String keyFile) throws IOException, InterruptedException {
        return run(List.of("openssl", "pkey", "-in", path(keyFile).toString(), "-pubout"));
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(command + " failed: " + out);
        }
        return out;
    }
}
