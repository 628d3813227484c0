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

    @Test
    void capacity_smallOutputUnderLargeCap_staysSmall() {
        CappedOutput out = written(24 * 1024 * 1024, "nginx: the configuration file syntax is ok\n");

        assertTrue(out.capacity() <= 8192, "holds " + out.capacity() + " bytes for a 43-byte output");
    }

    @Test
    void text_outputGrowingPastSeveralBuffers_keptWholeUpToTheCap() {
        CappedOutput out = new CappedOutput(100_000);
        byte[] line = "2026/11/21 10:08:39 [error] connect() failed (111: Connection refused)\n"
                .getBytes(StandardCharsets.UTF_8);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            out.write(line, 0, line.length);
            expected.append(new String(line, StandardCharsets.UTF_8));
        }
        out.write('!');

        assertEquals(expected.substring(0, 100_000), out.text());
        assertTrue(out.truncated());
        assertEquals(100_000, out.capacity());
    }

    @Test
    void write_singleBytesUpToTheCap_keepsThemAndCountsTheRest() {
        CappedOutput out = new CappedOutput(10_000);
        for (int i = 0; i < 10_001; i++) {
            out.write('a' + i % 26);
        }

        assertEquals(10_000, out.text().length());
        assertEquals('a' + 9_999 % 26, out.text().charAt(9_999));
        assertTrue(out.truncated());
    }
}
