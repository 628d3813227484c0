package dev.chatops.adapters.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HostTextTest {

    @Test
    void forTerminal_escapeSequencesAndBidi_areShownNotObeyed() {
        assertEquals("a\\x1b[2J\\x1b]0;owned\\x07 \\u202eexe.txt \\u2066x\\u2069 \\u200f\\u061c \\x7f\\x9b\\x0d\\x0a\tb",
                HostText.forTerminal("a\u001b[2J\u001b]0;owned\u0007 \u202eexe.txt \u2066x\u2069 \u200f\u061c \u007f\u009b\r\n\tb"));
    }

    @Test
    void forTerminalKeepingLines_keepsOnlyLineFeeds() {
        assertEquals("one\ntwo\\x0d\\x1b[A", HostText.forTerminalKeepingLines("one\ntwo\r\u001b[A"));
    }

    @Test
    void forTerminal_ordinaryText_isUnchanged() {
        String line = "2026/11/21 10:08:39 [error] 812#812: *1 connect() failed — «ünïcode» 日本 🔴";
        assertEquals(line, HostText.forTerminal(line));
    }

    @Test
    void withoutBidi_escapesOnlyBidiControls() {
        assertEquals("user \\u202egnp.exe\u001b", HostText.withoutBidi("user \u202egnp.exe\u001b"));
    }

    @Test
    void escapeJson_escapesWhatGsonLeavesRaw() {
        assertEquals("{\"a\": \"\\u007f\\u0085\\u202e\\u001b\"}", HostText.escapeJson("{\"a\": \"\u007f\u0085\u202e\\u001b\"}"));
    }
}
