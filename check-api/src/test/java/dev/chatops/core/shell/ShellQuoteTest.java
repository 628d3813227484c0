package dev.chatops.core.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ShellQuoteTest {

    @Test
    void quote_plainWord_singleQuoted() {
        assertEquals("'/var/log/nginx/error.log'", ShellQuote.quote("/var/log/nginx/error.log"));
    }

    @Test
    void quote_singleQuoteAndShellSyntax_staysOneLiteralWord() {
        assertEquals("'it'\\''s; rm -rf / $(id) `id`'", ShellQuote.quote("it's; rm -rf / $(id) `id`"));
    }

    @Test
    void quote_nul_refused() {
        assertThrows(IllegalArgumentException.class, () -> ShellQuote.quote("a\0b"));
    }
}
