package dev.chatops.adapters.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.chatops.adapters.app.BotApp;
import dev.chatops.config.ConfigLoader;
import dev.chatops.core.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code explain nginx502 [FILE|-]}: pasted log lines, with the built-in checks loaded as the jar loads them. */
class CliExplainTest {

    static final String REFUSED = "2026/11/21 11:47:19 [error] 2262#2262: *11 connect() failed (111: Connection "
            + "refused) while connecting to upstream, client: 127.0.0.1, server: shop.example.com, request: \"GET "
            + "/cart?token=ghp_abcdefghijklmnopqrstuvwxyz0123456789 HTTP/1.1\", upstream: \"http://127.0.0.1:28001/cart\", "
            + "host: \"shop.example.com\"";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:09:12Z"));

    private Cli cli(InputStream stdin) {
        return new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ConfigLoader(Map.of(), dir), dir, clock, config -> BotApp.start(config, clock), stdin);
    }

    private static InputStream stdin(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void explain_stdin_printsCauseFixAndConfirmRedacted() {
        int code = cli(stdin(REFUSED + "\nnot a log line\n")).run("explain", "nginx502");

        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        String o = out();
        assertTrue(o.startsWith("[CAUSE FOUND] pasted lines · Upstream is not running · from 1 pasted line"), o);
        assertTrue(o.contains("\nConfirm on the host\n  sudo ss -ltnp 'sport = :28001'"), o);
        assertTrue(o.contains("1 line was not recognised"), o);
        assertTrue(o.contains("nginx502 · lines read: 1 nginx error log, 1 not recognised"), o);
        assertFalse(o.contains("ghp_abcdefghijklmnopqrstuvwxyz0123456789"), o);
    }

    @Test
    void explain_fileAsJson_carriesCausesConfirmAndUnmatchedLines() throws Exception {
        Files.writeString(dir.resolve("pasted.log"), "hello\n" + REFUSED + "\n");

        int code = cli(stdin("")).run("explain", "nginx502", "pasted.log", "--format", "json");

        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        JsonObject json = JsonParser.parseString(out()).getAsJsonObject();
        assertEquals("cause-found", json.get("verdict").getAsString());
        assertEquals("pasted", json.get("source").getAsString());
        JsonObject first = json.getAsJsonArray("causes").get(0).getAsJsonObject();
        assertEquals("upstream-down", first.get("id").getAsString());
        assertTrue(first.getAsJsonArray("confirm").size() > 0);
        assertTrue(first.getAsJsonArray("fixes").get(0).getAsJsonObject().get("file") == null, "no file:line");
        assertEquals(1, json.getAsJsonArray("unmatchedLines").get(0).getAsInt());
        assertEquals(1, json.getAsJsonObject("recognised").get("nginx error log").getAsInt());
        assertFalse(out().contains("ghp_abcdefghijklmnopqrstuvwxyz0123456789"));
    }

    @Test
    void explain_binaryOnStdin_saysNothingWasRead() {
        byte[] junk = new byte[200_000];
        for (int i = 0; i < junk.length; i++) {
            junk[i] = (byte) (i * 31);
        }
        int code = cli(new ByteArrayInputStream(junk)).run("explain", "nginx502", "-");

        assertEquals(0, code);
        assertTrue(out().startsWith("[INCONCLUSIVE] pasted lines · "), out());
        assertFalse(out().chars().anyMatch(c -> c < 0x20 && c != '\n'), "no control characters echoed");
    }

    @Test
    void explain_missingFileOrUnknownCheck_oneSentenceAndExit2() {
        assertEquals(2, cli(stdin("")).run("explain", "nginx502", "nope.log"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("cannot read nope.log: no such file"),
                err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(2, cli(stdin("")).run("explain", "nginx999"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("unknown check `nginx999`"));
        err.reset();
        assertEquals(2, cli(stdin("")).run("explain", "nginx502", "a", "b"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("extra words"));
    }
}
