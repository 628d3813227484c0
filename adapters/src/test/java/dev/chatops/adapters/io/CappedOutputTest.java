package dev.chatops.adapters.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CappedOutputTest {

    private static CappedOutput written(int cap, String text) {
        CappedOutput out = new CappedOutput(cap);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        return out;
    }

    @Test
    void text_underCap_isWholeAndNotTruncated() {
        CappedOutput out = written(100, "héllo");

        assertEquals("héllo", out.text());
        assertFalse(out.truncated());
    }

    @Test
    void text_capInsideMultiByteCharacter_dropsTheHalfCharacter() {
        // "aé" is 61 C3 A9: a cap of 2 keeps 61 C3, half of é
        CappedOutput out = written(2, "aéb");

        assertEquals("a", out.text());
        assertTrue(out.truncated());
    }

    @Test
    void text_capRightAfterCompleteMultiByteCharacter_keepsIt() {
        CappedOutput out = written(3, "aéb");

        assertEquals("aé", out.text());
        assertTrue(out.truncated());
    }

    @Test
    void text_capAfterCompleteFourByteCharacter_keepsIt() {
        CappedOutput out = written(5, "a😀b");

        assertEquals("a😀", out.text());
    }
}
