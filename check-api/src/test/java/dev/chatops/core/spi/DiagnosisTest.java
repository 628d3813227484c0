package dev.chatops.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class DiagnosisTest {

    private static Cause cause(String id, double confidence) {
        return new Cause(id, id, confidence, "", List.of(), List.of(Fix.command("true")));
    }

    @Test
    void causes_areRankedMostLikelyFirst() {
        Diagnosis d = Diagnosis.causes("s", List.of(cause("a", 0.3), cause("b", 0.9), cause("c", 0.6)), List.of());

        assertEquals(List.of("b", "c", "a"), d.causes().stream().map(Cause::id).toList());
    }

    @Test
    void causeFound_withoutCauses_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> Diagnosis.causes("s", List.of(), List.of()));
    }

    @Test
    void probe_nameWithShellCharacters_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> Probe.of("x;y", "true"));
    }
}
