package dev.chatops.core.redact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Real shapes of secrets as they show up in logs, configs, process lists and probe output: each case
 * names the text, the secrets that must be gone, and the context that must stay.
 */
class RedactorCorpusTest {

    record Case(String input, List<String> secrets, List<String> kept) {
        @Override
        public String toString() {
            return input.length() > 70 ? input.substring(0, 70) + "…" : input;
        }
    }

    private static Case c(String input, List<String> secrets, String... kept) {
        return new Case(input, secrets, List.of(kept));
    }

    static Stream<Case> secrets() {
        return Stream.of(
                // cookies: every pair
                c("Cookie: session=abc123def; theme=dark; csrftoken=Zx9Yq8", List.of("abc123def", "Zx9Yq8", "dark"),
                        "Cookie: ", "session=", "theme=", "csrftoken="),
                c("> cookie: _ga=GA1.2.3; PHPSESSID=k3j4h5g6f7; remember_me=u1x2y3", List.of("k3j4h5g6f7", "u1x2y3"),
                        "PHPSESSID=", "remember_me="),
                c("< Set-Cookie: sid=s3cr3tv4lue; Path=/; HttpOnly; Secure", List.of("s3cr3tv4lue"),
                        "Set-Cookie: sid=", "Path=/", "HttpOnly"),
                c("cookie: \"a=firstsecret; b=secondsecret\", host: \"shop.example.com\"",
                        List.of("firstsecret", "secondsecret"), "host: \"shop.example.com\""),
                // query keys
                c("GET /login?user=dana&password=hunter2 HTTP/1.1", List.of("hunter2"), "user=dana", "HTTP/1.1"),
                c("GET /maps?key=AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUv&q=x", List.of("AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUv"),
                        "/maps?key=", "&q=x"),
                c("GET /dl?file=a.zip&sig=9f8e7d6c5b4a HTTP/1.1", List.of("9f8e7d6c5b4a"), "file=a.zip", "&sig="),
                c("GET /oauth/callback?code=4/0AX4XfWh-secretcode&state=xyz", List.of("4/0AX4XfWh-secretcode"), "state=xyz"),
                c("GET /b/o.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261121%2Fus-east-1"
                        + "%2Fs3%2Faws4_request&X-Amz-Signature=fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024",
                        List.of("AKIAIOSFODNN7EXAMPLE", "fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024"),
                        "X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Signature="),
                c("GET /api?access_token=ya29.a0AfH6SMBxyzxyzxyzxyzxyzxyz&page=2", List.of("ya29.a0AfH6SMBxyzxyzxyzxyzxyzxyz"),
                        "page=2"),
                c("GET /v1?api_key=0123456789abcdef&format=json", List.of("0123456789abcdef"), "format=json"),
                c("GET /reset?token=tok_8842af&lang=en", List.of("tok_8842af"), "lang=en"),
                c("GET /s?signature=b64sigvalue== HTTP/1.1", List.of("b64sigvalue=="), "HTTP/1.1"),
                c("GET /x?secret=swordfish&session=s9s8s7 HTTP/1.1", List.of("swordfish", "s9s8s7"), "GET /x?"),
                c("GET /login?pwd=letmein&user=ann", List.of("letmein"), "user=ann"),
                // cloud keys
                c("aws_access_key_id = AKIAIOSFODNN7EXAMPLE", List.of("AKIAIOSFODNN7EXAMPLE"), "aws_access_key_id"),
                c("aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", List.of("wJalrXUtnFEMI/K7MDENG"),
                        "aws_secret_access_key="),
                c("found key ASIAY34FZKBOKMUTVV7A in env", List.of("ASIAY34FZKBOKMUTVV7A"), "found key", "in env"),
                c("maps key AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI loaded", List.of("AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI"),
                        "maps key", "loaded"),
                c("{\"type\": \"service_account\", \"private_key_id\": \"1a2b3c4d5e6f\", \"private_key\": \"-----BEGIN PRIVATE KEY-----"
                        + "\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----\\n\", \"client_email\": \"bot@p.iam.gserviceaccount.com\"}",
                        List.of("1a2b3c4d5e6f", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"), "service_account", "client_email",
                        "bot@p.iam.gserviceaccount.com"),
                c("gcs hmac GOOG1EXAMPLE7XJ3QK2LMNOPQRSTUVWXYZ0123456 used", List.of("GOOG1EXAMPLE7XJ3QK2LMNOPQRSTUVWXYZ0123456"),
                        "gcs hmac", "used"),
                // JWT
                c("jwt eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U rejected",
                        List.of("eyJzdWIiOiIxMjM0NTY3ODkwIn0", "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"), "jwt", "rejected"),
                // basic auth in URLs and DSNs
                c("proxy_pass http://admin:s3cret@10.0.0.5:8080;", List.of("s3cret"), "http://admin:", "@10.0.0.5:8080;"),
                c("REDIS_URL=redis://:p4ssw0rdR3dis@cache:6379/0", List.of("p4ssw0rdR3dis"), "redis://:", "@cache:6379/0"),
                c("DATABASE_URL=postgres://app:Pg-S3cret@db.internal:5432/shop", List.of("Pg-S3cret"), "postgres://app:",
                        "@db.internal:5432/shop"),
                c("amqp://guest:gu3st-pw@rabbit/", List.of("gu3st-pw"), "amqp://guest:", "@rabbit/"),
                c("host=db port=5432 user=app password=libpqSecret dbname=shop", List.of("libpqSecret"), "dbname=shop",
                        "user=app"),
                c("Server=db;Database=shop;User Id=app;Password=AdoN3tPw;Encrypt=true", List.of("AdoN3tPw"),
                        "Database=shop", "Encrypt=true"),
                c("mysqld --user=app --password=cliPw123 --port 3306", List.of("cliPw123"), "--user=app", "--port 3306"),
                // headers
                c("> Authorization: Bearer abcdefghijklmnop0123", List.of("abcdefghijklmnop0123"), "> Authorization: "),
                c("Proxy-Authorization: Basic dXNlcjpwYXNzd29yZA==", List.of("dXNlcjpwYXNzd29yZA=="), "Proxy-Authorization: "),
                c("X-Custom-Auth: hm4c-v4lue-9911", List.of("hm4c-v4lue-9911"), "X-Custom-Auth: "),
                c("X-Vault-Token: s.Q2w3e4r5t6y7u8i9", List.of("s.Q2w3e4r5t6y7u8i9"), "X-Vault-Token: "),
                c("Private-Token: glpat-AbCdEf123456", List.of("glpat-AbCdEf123456"), "Private-Token: "),
                c("X-Api-Key: 5up3r-k3y-v4lu3", List.of("5up3r-k3y-v4lu3"), "X-Api-Key: "),
                // nginx config lines
                c("    proxy_set_header X-Api-Key 7f3c9a1b2e4d;", List.of("7f3c9a1b2e4d"), "proxy_set_header X-Api-Key", ";"),
                c("    proxy_set_header Authorization \"Basic dXNlcjpwYXNz\";", List.of("dXNlcjpwYXNz"),
                        "proxy_set_header Authorization", ";"),
                c("    proxy_set_header X-Backend-Auth s3cr3t-h34der;", List.of("s3cr3t-h34der"), "proxy_set_header X-Backend-Auth"),
                c("    proxy_set_header X-Internal-Token tkn-77aa88bb;", List.of("tkn-77aa88bb"), "X-Internal-Token"),
                c("    fastcgi_param DB_PASSWORD fcgiPw99;", List.of("fcgiPw99"), "fastcgi_param DB_PASSWORD"),
                c("    fastcgi_param HTTP_AUTHORIZATION \"Bearer fcgitoken1234567\";", List.of("fcgitoken1234567"),
                        "fastcgi_param HTTP_AUTHORIZATION"),
                c("    secure_link_secret m0nkeyLink;", List.of("m0nkeyLink"), "secure_link_secret"),
                c("    more_set_headers \"X-Api-Key: hdrs-k3y-1\";", List.of("hdrs-k3y-1"), "more_set_headers"),
                // Stripe, Slack, GitHub
                c("stripe.api_key = sk_live_4eC39HqLyjWDarjtT1zdp7dc", List.of("4eC39HqLyjWDarjtT1zdp7dc"), "stripe.api_key"),
                c("charge failed with key sk_live_51Habcdefghijklmnop0123 (402)", List.of("sk_live_51Habcdefghijklmnop0123"),
                        "charge failed with key", "(402)"),
                c("using rk_live_51Hrestrictedkey0001 for refunds", List.of("rk_live_51Hrestrictedkey0001"), "for refunds"),
                c("webhook whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw verified", List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                        "webhook", "verified"),
                c("slack bot xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp ok", List.of("1234567890-0987654321-AbCdEfGhIjKlMnOp"),
                        "slack bot", "ok"),
                c("user xoxp-111122223333-444455556666-77778888 app xapp-1-A0123-4567-abcdef0123",
                        List.of("111122223333-444455556666", "A0123-4567-abcdef0123"), "user", "app"),
                c("POST https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX 200",
                        List.of("T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"), "https://hooks.slack.com/services/", "200"),
                c("git clone https://x-access-token:ghs_16C7e42F292c6912E7710c838347Ae178B4a@github.com/o/r",
                        List.of("ghs_16C7e42F292c6912E7710c838347Ae178B4a"), "@github.com/o/r"),
                c("GITHUB_TOKEN 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 set", List.of("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"),
                        "set"),
                c("token gho_16C7e42F292c6912E7710c838347Ae178B4a expired", List.of("gho_16C7e42F292c6912E7710c838347Ae178B4a"),
                        "expired"),
                c("pat github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz in use",
                        List.of("11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz"), "pat", "in use"),
                // private keys
                c("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\nnext line",
                        List.of("b3BlbnNzaC1rZXktdjEAAAAA"), "next line"),
                c("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAcutoff", List.of("MIIEowIBAAKCAQEAcutoff")),
                c("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIOabc\n-----END EC PRIVATE KEY-----", List.of("MHcCAQEEIOabc")),
                // passwords in config and env
                c("password: \"hunter2 with spaces\"", List.of("hunter2 with spaces"), "password: "),
                c("{\"user\": \"dana\", \"password\": \"jsonPw!\"}", List.of("jsonPw!"), "\"user\": \"dana\""),
                c("PGPASSWORD=envPw42 psql -h db", List.of("envPw42"), "psql -h db"),
                c("'password' => 'phpPw77',", List.of("phpPw77"), "'password' => "),
                c("DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6==;"
                        + "EndpointSuffix=core.windows.net", List.of("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6=="),
                        "AccountName=shop", "EndpointSuffix=core.windows.net"),
                c("client_secret=oauthCl13nt&grant_type=client_credentials", List.of("oauthCl13nt"),
                        "grant_type=client_credentials"));
    }

    @ParameterizedTest
    @MethodSource("secrets")
    void redact_secretShape_isGoneAndContextKept(Case c) {
        String out = Redactor.redact(c.input());

        for (String secret : c.secrets()) {
            assertFalse(out.contains(secret), "secret `" + secret + "` left in: " + out);
        }
        for (String kept : c.kept()) {
            assertTrue(out.contains(kept), "context `" + kept + "` lost in: " + out);
        }
        assertTrue(out.contains(Redactor.MASK), out);
    }

    @Test
    void corpus_coversAtLeastFortyShapes() {
        assertTrue(secrets().count() >= 40);
    }

    static Stream<String> ordinary() {
        return Stream.of(
                "2026/11/21 10:08:39 [error] 812#812: *1 connect() failed (111: Connection refused) while connecting to "
                        + "upstream, client: 127.0.0.1, server: shop.example.com, request: \"GET /cart HTTP/1.1\", "
                        + "upstream: \"http://127.0.0.1:3000/cart\", host: \"shop.example.com\"",
                "127.0.0.1 - - [21/Nov/2026:10:08:39 +0000] \"GET /static/app.js?v=3 HTTP/1.1\" 502 157 \"-\" \"curl/8.0\"",
                "request_id=7f9c2b1e-8a3d-4c5e-9f00-123456789abc status=502 upstream_status=502",
                "    ssl_session_cache shared:SSL:10m;",
                "    ssl_session_timeout 1d;",
                "    ssl_password_file /etc/nginx/ssl/passwords;",
                "    auth_basic_user_file /etc/nginx/.htpasswd;",
                "    proxy_set_header Cookie $http_cookie;",
                "    proxy_set_header X-Real-IP $remote_addr;",
                "    fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;",
                "the token expired and the session ended; password reset needed",
                "exit code=1 after 20 ms",
                "/var/www/shop/releases/20261121/public/index.php",
                "tcp   LISTEN 0  511  0.0.0.0:80  0.0.0.0:*  users:((\"nginx\",pid=812,fd=6))",
                "Authorization required for /admin",
                "key_zone=one:10m max_size=1g inactive=60m",
                "GET /search?q=secret+santa&page=2 HTTP/1.1 uses keys",
                // the sudoers line a refused probe asks for, and sudo's own refusal
                "chatops ALL=(root) NOPASSWD: /usr/bin/ss -ltnp",
                "Defaults:chatops !requiretty\nchatops ALL=(root) PASSWD: /usr/sbin/nginx -t",
                "sudo: a password is required");
    }

    @ParameterizedTest
    @MethodSource("ordinary")
    void redact_ordinaryText_isUnchanged(String line) {
        assertEquals(line, Redactor.redact(line));
    }

    static Stream<Arguments> hostile() {
        int n = 1 << 20;
        return Stream.of(
                Arguments.of("letters", "a".repeat(n)),
                Arguments.of("dashes", "-".repeat(n)),
                Arguments.of("names without values", "password ".repeat(n / 9)),
                Arguments.of("unclosed quotes", "password=\"x ".repeat(n / 12)),
                Arguments.of("colons", "token:".repeat(n / 6)),
                Arguments.of("url starts", "a://b:c".repeat(n / 7)),
                Arguments.of("pem starts", "-----BEGIN A".repeat(n / 12)),
                Arguments.of("jwt starts", "eyJ".repeat(n / 3)),
                Arguments.of("cookie pairs", ("Cookie: " + "a=b;".repeat(1000) + "\n").repeat(n / 4010)),
                Arguments.of("query keys", "?code=&key=&sig=".repeat(n / 16)),
                Arguments.of("directives", "proxy_set_header ".repeat(n / 17)),
                Arguments.of("stripe starts", "sk_live_".repeat(n / 8)),
                Arguments.of("spaces", " ".repeat(n)));
    }

    /** Counts every character a pass reads, so work is measured, not time. */
    private static final class CountingText implements CharSequence {
        private final String text;
        private long reads;

        CountingText(String text) {
            this.text = text;
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            reads++;
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            reads += end - start;
            return text.subSequence(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * Every pattern and the named-value scan read each character of a megabyte of near-matches a
     * bounded number of times: backtracking would read it once per start position. The timeout only
     * keeps a regression from hanging the build.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void redact_megabyteOfNearMatches_readsEachCharacterBoundedTimes(String name, String line) {
        long bound = 32L * line.length();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (Pattern p : Redactor.patterns()) {
                CountingText text = new CountingText(line);
                Matcher m = p.matcher(text);
                while (m.find()) {
                    // every match, as replaceAll finds them
                }
                assertTrue(text.reads <= bound, p + " read " + text.reads + " characters of " + line.length());
            }
            CountingText text = new CountingText(line);
            NamedValues.mask(text);
            assertTrue(text.reads <= bound, "the named-value scan read " + text.reads + " characters of " + line.length());
            assertTrue(Redactor.redact(line).length() > 0);
        });
    }
}
