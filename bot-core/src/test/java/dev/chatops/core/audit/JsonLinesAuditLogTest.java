package dev.chatops.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.chatops.core.audit.AuditEntry.CacheUse;
import dev.chatops.core.audit.AuditEntry.Decision;
import dev.chatops.core.spi.Verdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesAuditLogTest {

    private static final Instant AT = Instant.parse("2026-11-21T10:09:12Z");

    private static AuditEntry allowed(String user, String host) {
        return new AuditEntry(AT, "slack", user, "C0123ABCD", "nginx502", host, Decision.ALLOWED, "", CacheUse.MISS,
                812, Optional.of(Verdict.CAUSE_FOUND), Optional.of("SHA256:abc"));
    }

    @Test
    void record_oneJsonLinePerEntry_appendedAcrossRestarts(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("logs/audit.jsonl");
        try (JsonLinesAuditLog log = new JsonLinesAuditLog(file)) {
            log.record(allowed("U1", "web-03"));
        }
        try (JsonLinesAuditLog log = new JsonLinesAuditLog(file)) {
            log.record(new AuditEntry(AT, "cli", "dana", "", "nginx502", "db-01", Decision.DENIED,
                    "unknown host `db-01`; hosts that may be checked: web-03", CacheUse.NONE, 0, Optional.empty(),
                    Optional.empty()));
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(2, lines.size());
        JsonObject first = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals("2026-11-21T10:09:12Z", first.get("time").getAsString());
        assertEquals("U1", first.get("user").getAsString());
        assertEquals("cause-found", first.get("verdict").getAsString());
        assertEquals("SHA256:abc", first.get("hostKeyFingerprint").getAsString());
        assertEquals(812, first.get("durationMs").getAsLong());
        assertFalse(first.get("cacheHit").getAsBoolean());
        JsonObject second = JsonParser.parseString(lines.get(1)).getAsJsonObject();
        assertEquals("denied", second.get("decision").getAsString());
        assertEquals("unknown host `db-01`; hosts that may be checked: web-03", second.get("reason").getAsString());
        assertTrue(second.get("verdict").isJsonNull());
        assertEquals(first.keySet(), second.keySet());
    }

    @Test
    void record_newFile_ownerAndGroupOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (JsonLinesAuditLog log = new JsonLinesAuditLog(file)) {
            log.record(allowed("U1", "web-03"));
        }
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void record_manyThreads_linesNeverInterleave(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        int threads = 8;
        int each = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (JsonLinesAuditLog log = new JsonLinesAuditLog(file)) {
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String user = "U" + t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        log.record(allowed(user, "web-" + i));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(threads * each, lines.size());
        Set<String> seen = new HashSet<>();
        for (String line : lines) {
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            seen.add(o.get("user").getAsString() + "/" + o.get("host").getAsString());
        }
        assertEquals(threads * each, seen.size());
    }

    @Test
    void toJson_typedTextIsOneLineAndRedacted() {
        AuditEntry e = new AuditEntry(AT, "slack", "U1", "C1", "nginx502",
                "xoxb-123456789012-123456789012-abcdefghijklmnop\n{\"forged\":true}", Decision.DENIED,
                "`xoxb-123456789012-…` is not a host name", CacheUse.NONE, 0, Optional.empty(), Optional.empty());
        String json = e.toJson();
        assertFalse(json.contains("\n"));
        assertFalse(json.contains("xoxb-123456789012-123456789012"), json);
        JsonObject o = JsonParser.parseString(json).getAsJsonObject();
        assertTrue(o.get("host").getAsString().contains("[REDACTED]"), json);
        assertFalse(o.has("forged"));
    }

    @Test
    void toJson_secretAcrossTheCut_isRedactedBeforeCutting() {
        // the cut at 300 characters would leave "sk_live_4eC39", too short to look like a key any more
        String reason = "a".repeat(286) + " sk_live_4eC39HqLyjWDarjtT1zdp7dc was refused";
        AuditEntry e = new AuditEntry(AT, "cli", "dana", "", "nginx502", "web-03", Decision.DENIED, reason,
                CacheUse.NONE, 0, Optional.empty(), Optional.empty());

        String logged = JsonParser.parseString(e.toJson()).getAsJsonObject().get("reason").getAsString();

        assertFalse(logged.contains("4eC39"), logged);
        assertTrue(logged.endsWith("…"), logged);
    }

    @Test
    void record_unwritableFile_doesNotThrow(@TempDir Path dir) throws Exception {
        Path notAFile = Files.createDirectory(dir.resolve("audit.jsonl"));
        try (JsonLinesAuditLog log = new JsonLinesAuditLog(notAFile)) {
            log.record(allowed("U1", "web-03"));
        }
        assertTrue(Files.isDirectory(notAFile));
    }
}
