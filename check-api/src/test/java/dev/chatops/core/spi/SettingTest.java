package dev.chatops.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingTest {

    private static final Setting THRESHOLD = Setting.wholeNumber("threshold", 90, 1, 100,
            "Percent used at which a filesystem counts as full.");

    @Test
    void parse_wholeNumberInRange_isInteger() {
        assertEquals(95, THRESHOLD.parse(" 95 "));
    }

    @Test
    void parse_wholeNumberOutOfRangeOrText_saysWhatIsExpected() {
        assertEquals("must be a whole number 1-100",
                assertThrows(IllegalArgumentException.class, () -> THRESHOLD.parse("101")).getMessage());
        assertEquals("must be a whole number 1-100",
                assertThrows(IllegalArgumentException.class, () -> THRESHOLD.parse("soon")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> THRESHOLD.parse("90.5"));
    }

    @Test
    void parse_decimal_acceptsFractionsWithinRange() {
        Setting ratio = Setting.decimal("ratio", 0.5, 0, 1, "Share of errors that counts.");

        assertEquals(0.25, ratio.parse("0.25"));
        assertEquals("must be a number 0-1", assertThrows(IllegalArgumentException.class, () -> ratio.parse("2")).getMessage());
    }

    @Test
    void parse_bool_takesYamlWords() {
        Setting strict = Setting.bool("strict", false, "Whether warnings count.");

        assertEquals(true, strict.parse("yes"));
        assertEquals(false, strict.parse("off"));
        assertEquals("must be true or false",
                assertThrows(IllegalArgumentException.class, () -> strict.parse("maybe")).getMessage());
    }

    @Test
    void parse_textWithControlCharactersOrTooLong_isRefused() {
        Setting mount = Setting.text("mount", "/", "Which mount point to judge.");

        assertEquals("/var", mount.parse("/var"));
        assertThrows(IllegalArgumentException.class, () -> mount.parse("/var\n; rm"));
        assertThrows(IllegalArgumentException.class, () -> mount.parse("x".repeat(Setting.MAX_TEXT + 1)));
    }

    @Test
    void construct_defaultOfTheWrongTypeOrOutOfRange_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Setting("t", Setting.Type.WHOLE_NUMBER, "90", 1, 100, "h"));
        assertThrows(IllegalArgumentException.class, () -> Setting.wholeNumber("t", 0, 1, 100, "h"));
    }

    @Test
    void construct_badNameOrNoHelp_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> Setting.bool("warn-days", true, "h"));
        assertThrows(IllegalArgumentException.class, () -> Setting.bool("ok", true, " "));
    }

    @Test
    void describe_namesTypeRangeAndDefault() {
        assertEquals("a whole number 1-100, default 90", THRESHOLD.describe());
        assertEquals("text of at most 200 printable characters, default \"/\"",
                Setting.text("mount", "/", "h").describe());
    }

    @Test
    void settingsOf_defaultsWithConfiguredValuesInTheirPlace() {
        Settings s = Settings.of(List.of(THRESHOLD, Setting.bool("strict", false, "h")), Map.of("threshold", 80));

        assertEquals(Map.of("threshold", 80, "strict", false), s.values());
        assertEquals(80, s.wholeNumber("threshold", 1));
        assertEquals(80.0, s.decimal("threshold", 1));
        assertEquals(false, s.bool("strict", true));
    }

    @Test
    void settings_absentName_givesFallback_wrongType_isRefused() {
        Settings s = new Settings(Map.of("threshold", 80));

        assertEquals("x", s.text("mount", "x"));
        assertThrows(IllegalArgumentException.class, () -> s.bool("threshold", true));
    }

    @Test
    void settings_areReadOnlyAndTakeOnlyPlainValues() {
        Settings s = new Settings(Map.of("threshold", 80));

        assertThrows(UnsupportedOperationException.class, () -> s.values().put("x", 1));
        assertThrows(IllegalArgumentException.class, () -> new Settings(Map.of("when", List.of())));
    }
}
