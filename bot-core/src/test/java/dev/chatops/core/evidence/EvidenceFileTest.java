package dev.chatops.core.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.error.BotException;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.spi.Settings;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceFileTest {

    @Test
    void toJson_thenParse_givesSameEvidence() {
        Map<String, ProbeResult> probes = new LinkedHashMap<>();
        probes.put("error-log", new ProbeResult("tail -c 4M /var/log/nginx/error.log", 0,
                "2026/11/21 10:08:39 [error] 812#812: *1 connect() failed (111: Connection refused)\n", "", 41, false));
        probes.put("ss", new ProbeResult("ss -ltnp", 1, "", "ss: not found \"quoted\"", 3, true));
        Evidence evidence = new Evidence("nginx502", "web-03", Instant.parse("2026-11-21T10:09:12Z"),
                Duration.ofMinutes(15), probes);

        Evidence back = EvidenceFile.parse(EvidenceFile.toJson(evidence), "test");

        assertEquals(evidence, back);
        assertEquals(List.of("error-log", "ss"), List.copyOf(back.probes().keySet()));
    }

    @Test
    void toJson_thenParse_keepsSettingsAndTheirTypes() {
        Evidence evidence = new Evidence("disk", "web-03", Instant.parse("2026-11-21T10:09:12Z"), Duration.ofMinutes(15),
                Map.of(), new Settings(Map.of("threshold", 90, "ratio", 0.5, "wide", 2147483647, "strict", true,
                        "mount", "/var")));

        Evidence back = EvidenceFile.parse(EvidenceFile.toJson(evidence), "test");

        assertEquals(evidence.settings(), back.settings());
        assertEquals(Integer.valueOf(90), back.settings().values().get("threshold"));
        assertEquals(Double.valueOf(0.5), back.settings().values().get("ratio"));
    }

    @Test
    void parse_withoutSettings_hasNone() {
        Evidence back = EvidenceFile.parse("{\"check\":\"nginx502\",\"host\":\"h\",\"collectedAt\":\"2026-11-21T10:09:12Z\","
                + "\"probes\":{}}", "ev.json");

        assertEquals(Settings.none(), back.settings());
    }

    @Test
    void parse_settingThatIsAStructure_isRefused() {
        BotException e = assertThrows(BotException.class, () -> EvidenceFile.parse("{\"check\":\"disk\",\"host\":\"h\","
                + "\"collectedAt\":\"2026-11-21T10:09:12Z\",\"settings\":{\"threshold\":[1]},\"probes\":{}}", "ev.json"));

        assertTrue(e.getMessage().contains("\"settings.threshold\" must be a number, true/false or text"), e.getMessage());
    }

    @Test
    void parse_missingProbes_namesTheKey() {
        BotException e = assertThrows(BotException.class, () -> EvidenceFile.parse(
                "{\"check\":\"nginx502\",\"host\":\"h\",\"collectedAt\":\"2026-11-21T10:09:12Z\"}", "ev.json"));

        assertEquals("evidence file ev.json lacks \"probes\"", e.getMessage());
    }

    @Test
    void parse_notJson_saysWhatItMustLookLike() {
        BotException e = assertThrows(BotException.class, () -> EvidenceFile.parse("not json", "ev.json"));

        assertTrue(e.getMessage().startsWith("evidence file ev.json is not valid evidence JSON"), e.getMessage());
    }

    @TempDir
    Path tmp;

    private static Evidence withSecrets() {
        Map<String, ProbeResult> probes = new LinkedHashMap<>();
        probes.put("access-log", new ProbeResult("tail access.log", 0,
                "GET /login?user=dana&password=hunter2 HTTP/1.1 502\nCookie: sid=abc123def; theme=dark\n", "", 12, false));
        return new Evidence("nginx502", "web-03", Instant.parse("2026-11-21T10:09:12Z"), Duration.ofMinutes(15), probes);
    }

    private static String perms(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    @Test
    void write_redactsAndIsReadableByItsOwnerOnly() throws Exception {
        Path file = tmp.resolve("ev.json");

        EvidenceFile.write(withSecrets(), file);

        String json = Files.readString(file);
        assertEquals("rw-------", perms(file));
        assertFalse(json.contains("hunter2"), json);
        assertFalse(json.contains("abc123def"), json);
        assertTrue(json.contains("user=dana"), json);
        assertTrue(json.contains("\"format\": 1"), json);
        assertTrue(json.contains("\"redacted\": true"), json);
        assertEquals("nginx502", EvidenceFile.read(file).check());
    }

    @Test
    void write_overAWorldReadableFile_leavesItOwnerOnly() throws Exception {
        Path file = Files.writeString(tmp.resolve("ev.json"), "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        EvidenceFile.write(withSecrets(), file);

        assertEquals("rw-------", perms(file));
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(file), left.toList());
        }
    }

    @Test
    void writeRaw_keepsSecretsOwnerOnly() throws Exception {
        Path file = tmp.resolve("raw.json");

        EvidenceFile.writeRaw(withSecrets(), file);

        assertEquals("rw-------", perms(file));
        assertTrue(Files.readString(file).contains("hunter2"));
        assertTrue(Files.readString(file).contains("\"redacted\": false"));
        assertEquals(withSecrets(), EvidenceFile.read(file));
    }

    @Test
    void read_fileOverTheCap_isRefusedWithoutReadingIt() throws Exception {
        Path huge = tmp.resolve("huge.json");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(2_200_000_000L); // sparse: no disk, and far more than the heap
        }

        BotException e = assertThrows(BotException.class, () -> EvidenceFile.read(huge));

        assertEquals("evidence file " + huge + " is larger than 128 MiB, far more than a check collects; it is not a "
                + "file written by check --save-evidence", e.getMessage());
    }

    @Test
    void read_pipeThatNeverEnds_isCutOffAtTheCap() throws Exception {
        Path fifo = tmp.resolve("ev.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mkfifo.waitFor());
        Thread writer = new Thread(() -> {
            try (var out = Files.newOutputStream(fifo)) {
                out.write('{');
                byte[] blanks = new byte[1 << 20];
                java.util.Arrays.fill(blanks, (byte) ' ');
                while (true) {
                    out.write(blanks); // valid JSON so far, and it never ends
                }
            } catch (java.io.IOException e) {
                // the reader stopped reading: expected
            }
        });
        writer.start();

        BotException e = assertThrows(BotException.class, () -> EvidenceFile.read(fifo));

        assertEquals("evidence file " + fifo + " is larger than 128 MiB, far more than a check collects; it is not a "
                + "file written by check --save-evidence", e.getMessage());
        writer.join(10_000);
        assertFalse(writer.isAlive());
    }

    private static String file(String format, String window, String probeName) {
        return "{" + format + "\"check\":\"nginx502\",\"host\":\"web-03\",\"collectedAt\":\"2026-11-21T10:09:12Z\","
                + window + "\"probes\":{\"" + probeName + "\":{\"command\":\"true\",\"exit\":0}}}";
    }

    @Test
    void parse_withoutFormat_isReadAsFormatOne() {
        assertEquals("web-03", EvidenceFile.parse(file("", "", "host"), "old.json").host());
    }

    @Test
    void parse_unknownFormat_isRefused() {
        BotException e = assertThrows(BotException.class,
                () -> EvidenceFile.parse(file("\"format\":2,", "", "host"), "ev.json"));

        assertEquals("evidence file ev.json has format 2, but this bot reads format 1; replay it with the version that "
                + "wrote it", e.getMessage());
    }

    @Test
    void parse_zeroOrNegativeWindow_isRefused() {
        for (String w : List.of("\"window\":\"PT0S\",", "\"window\":\"-PT15M\",")) {
            BotException e = assertThrows(BotException.class, () -> EvidenceFile.parse(file("", w, "host"), "ev.json"));
            assertTrue(e.getMessage().contains("\"window\" must be longer than zero"), e.getMessage());
        }
    }

    @Test
    void parse_malformedProbeName_isRefused() {
        BotException e = assertThrows(BotException.class,
                () -> EvidenceFile.parse(file("", "", "../etc/passwd\\u001b[2J"), "ev.json"));

        assertTrue(e.getMessage().contains("a probe name is not lower-case letters"), e.getMessage());
        assertFalse(e.getMessage().contains("\u001b"), e.getMessage());
    }

    @Test
    void parse_wrongTypes_areRefusedInOneSentence() {
        for (String bad : List.of("[]", "{\"check\":{},\"host\":\"h\",\"collectedAt\":\"2026-11-21T10:09:12Z\",\"probes\":{}}",
                "{\"check\":\"nginx502\",\"host\":\"h\",\"collectedAt\":\"2026-11-21T10:09:12Z\",\"probes\":[]}",
                "{\"check\":\"Bad Name\",\"host\":\"h\",\"collectedAt\":\"2026-11-21T10:09:12Z\",\"probes\":{}}",
                "{\"check\":\"nginx502\",\"host\":\"h\\n[HEALTHY]\",\"collectedAt\":\"2026-11-21T10:09:12Z\",\"probes\":{}}")) {
            BotException e = assertThrows(BotException.class, () -> EvidenceFile.parse(bad, "ev.json"), bad);
            assertTrue(e.getMessage().startsWith("evidence file ev.json "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
