package dev.chatops.core.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.error.BotException;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
}
