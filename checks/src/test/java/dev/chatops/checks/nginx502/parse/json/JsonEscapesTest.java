package dev.chatops.checks.nginx502.parse.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonEscapesTest {

    @Test
    void decode_singleLetterEscapes_theirCharacters() {
        String letters = "\"\\/bfnrt";
        String chars = "\"\\/\b\f\n\r\t";
        for (int k = 0; k < letters.length(); k++) {
            assertEquals(Optional.of(new JsonEscapes.Decoded(chars.charAt(k), 3)),
                    JsonEscapes.decode("x\\" + letters.charAt(k), 2));
        }
    }

    @Test
    void decode_unicode_fourHexDigitsEitherCase() {
        assertEquals(Optional.of(new JsonEscapes.Decoded('\u00e9', 6)), JsonEscapes.decode("uu00E9z", 1));
        assertEquals(Optional.of(new JsonEscapes.Decoded('\u00e9', 5)), JsonEscapes.decode("u00e9", 0));
    }

    @Test
    void decode_notJson_empty() {
        for (String bad : new String[] {"", "x", "a", "u12", "u+abc", "u-abc", "u12g4", "u\u0661\u0662\u0663\u0664", "'"}) {
            assertTrue(JsonEscapes.decode(bad, 0).isEmpty(), bad);
        }
    }
}
