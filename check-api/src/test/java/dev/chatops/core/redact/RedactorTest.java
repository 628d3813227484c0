package dev.chatops.core.redact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class RedactorTest {

    @Test
    void redact_authorizationHeaderInNginxConfig_masksTheValue() {
        assertEquals("proxy_set_header Authorization [REDACTED];",
                Redactor.redact("proxy_set_header Authorization \"Basic dXNlcjpwYXNz\";"));
    }

    @Test
    void redact_passwordsAndTokensInLogLines_masksValuesKeepsKeys() {
        String line = "request: \"GET /login?user=dana&password=hunter2&api_key=abc123 HTTP/1.1\"";

        String out = Redactor.redact(line);

        assertEquals("request: \"GET /login?user=dana&password=[REDACTED]&api_key=[REDACTED] HTTP/1.1\"", out);
    }

    @Test
    void redact_bearerTokenAndSlackToken_areMasked() {
        String out = Redactor.redact("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.x and xoxb-1234567890-abcdefghij");

        assertFalse(out.contains("eyJhbGci"), out);
        assertFalse(out.contains("xoxb-1234567890"), out);
    }

    @Test
    void redact_privateKeyBlockAndUrlPassword_areMasked() {
        String out = Redactor.redact("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----"
                + " proxy_pass http://admin:s3cret@10.0.0.5:8080;");

        assertFalse(out.contains("b3BlbnNzaC1rZXk"), out);
        assertFalse(out.contains("s3cret"), out);
    }

    @Test
    void redact_plainErrorLine_isUnchanged() {
        String line = "2026/11/21 10:08:39 [error] 812#812: *1 connect() failed (111: Connection refused) while "
                + "connecting to upstream, client: 127.0.0.1, server: shop.example.com, request: \"GET /cart HTTP/1.1\", "
                + "upstream: \"http://127.0.0.1:3000/cart\", host: \"shop.example.com\"";

        assertEquals(line, Redactor.redact(line));
    }
}
