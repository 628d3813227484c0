package dev.chatops.adapters.render;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.report.Report;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextRendererFreshnessTest {

    private static final Instant AT = Instant.parse("2026-11-21T10:09:12Z");

    private static Report report() {
        return Report.of(new Evidence("nginx502", "web-03", AT, Duration.ofMinutes(15), Map.of()),
                Diagnosis.healthy("no 502s in the window", List.of()), 812);
    }

    @Test
    void footer_cached_saysAgeAndHowToGetFresh() {
        MutableClock clock = new MutableClock(AT.plusSeconds(42));
        String text = new TextRenderer(clock).render(report().asCached());
        assertTrue(text.contains(" · from 42 s ago (--fresh for a new check) · "), text);
    }

    @Test
    void footer_fresh_saysFresh() {
        MutableClock clock = new MutableClock(AT.plusSeconds(42));
        String text = new TextRenderer(clock).render(report());
        assertTrue(text.contains(" · 812 ms · fresh · window 15 min · "), text);
    }
}
