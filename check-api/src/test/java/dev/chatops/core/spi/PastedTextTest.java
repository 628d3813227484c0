package dev.chatops.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PastedTextTest {

    private static List<String> texts(PastedText t) {
        return t.lines().stream().map(PastedText.Line::text).toList();
    }

    @Test
    void of_blankLinesCarriageReturnsAndFences_leaveTheLinesWithTheirNumbers() {
        PastedText t = PastedText.of("```\r\nfirst line\r\n\r\n  second line  \n```third```\n```");
        assertEquals(List.of("first line", "second line", "third"), texts(t));
        assertEquals(List.of(2, 4, 5), t.lines().stream().map(PastedText.Line::number).toList());
        assertEquals(0, t.notText());
        assertFalse(t.cut());
    }

    @Test
    void of_controlCharacters_setAsideButTabsKept() {
        PastedText t = PastedText.of("a\tb\nescape \u001b]0;title\u0007\nnul\u0000\nc1 \u009b2J\nok");
        assertEquals(List.of("a\tb", "ok"), texts(t));
        assertEquals(3, t.notText());
    }

    @Test
    void of_overTheLimits_boundedAndCounted() {
        PastedText many = PastedText.of("x\n".repeat(PastedText.MAX_LINES + 25));
        assertEquals(PastedText.MAX_LINES, many.lines().size());
        assertEquals(25, many.dropped());

        PastedText longLine = PastedText.of("y".repeat(PastedText.MAX_LINE * 3));
        assertEquals(PastedText.MAX_LINE, longLine.lines().get(0).text().length());

        PastedText huge = PastedText.of("z".repeat(PastedText.MAX_CHARS + 10));
        assertTrue(huge.cut());
    }

    @Test
    void of_nothing_isEmpty() {
        assertTrue(PastedText.of("").isEmpty());
        assertTrue(PastedText.of("\n \n```\n```").isEmpty());
    }

    @Test
    void explanation_healthyOrUnreachable_refused() {
        assertThrows(IllegalArgumentException.class, () -> new Explanation(Diagnosis.healthy("fine", List.of()),
                List.of(), Map.of(), List.of()));
        Explanation x = new Explanation(Diagnosis.inconclusive("nothing", List.of()), List.of(
                new Explanation.Confirmation("a", "one"), new Explanation.Confirmation("b", "two"),
                new Explanation.Confirmation("a", "three")), Map.of(), List.of());
        assertEquals(List.of("one", "three"), x.confirming("a"));
    }

    @Test
    void check_explain_isOptionalForPlugins() {
        Check plain = new Check() {
            public String name() {
                return "plain";
            }

            public String help() {
                return "A check that reads no pasted lines.";
            }

            public List<Probe> probes(CheckOptions options) {
                return List.of();
            }

            public Diagnosis diagnose(Evidence evidence) {
                return Diagnosis.inconclusive("n/a", List.of());
            }
        };
        assertEquals(Optional.empty(), plain.explain(PastedText.of("2026/11/21 11:47:19 [error] x")));
    }
}
