package dev.chatops.nginx.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The config tree, on real {@code nginx -T} output: Debian's default nginx.conf with
 * sites-enabled/default (as installed, and with its PHP block enabled), and a config with includes,
 * {@code map}, {@code if}, nested and regex locations, variables and quoted strings holding {@code ;}
 * and {@code #}. Each was printed by nginx 1.22 itself (paths of the temporary copy rewritten back).
 */
class NginxConfigTest {

    private static String text(String resource) {
        try (InputStream in = NginxConfigTest.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static NginxConfig load(String name, String prefix) {
        return NginxConfig.from(ConfigDump.parse(text("configs/" + name)), prefix);
    }

    @Test
    void debianDefault_splitsFilesAndKeepsTheTestVerdict() {
        ConfigDump dump = ConfigDump.parse(text("configs/debian-default.nginx-T.txt"));
        assertEquals(List.of("/etc/nginx/nginx.conf", "/etc/nginx/modules-enabled/50-mod-http-echo.conf",
                "/etc/nginx/mime.types", "/etc/nginx/sites-enabled/default"), List.copyOf(dump.files().keySet()));
        assertTrue(dump.messages().get(1).contains("test is successful"));
    }

    @Test
    void debianDefault_findsTheDefaultServerFromSitesEnabled() {
        NginxConfig c = load("debian-default.nginx-T.txt", "/usr/share/nginx/");
        assertEquals(Optional.of("www-data"), c.user());
        assertEquals(1, c.servers().size());
        ServerBlock s = c.servers().get(0);
        assertEquals("_", s.primaryName());
        assertTrue(s.isDefaultFor(80));
        assertEquals("/etc/nginx/sites-enabled/default", s.directive().file());
        assertEquals(21, s.directive().line());
        assertEquals(List.of("/var/log/nginx/access.log"), c.accessLogs(s).stream().map(NginxConfig.AccessLog::path)
                .toList());
        assertEquals(List.of("/var/log/nginx/error.log"), c.errorLogs(s));
        assertEquals(Optional.of(768), c.events().flatMap(e -> e.last("worker_connections")).flatMap(d -> d.arg(0))
                .map(Integer::parseInt));
    }

    @Test
    void debianWithPhp_resolvesFastcgiPassThroughTheSnippetInclude() {
        NginxConfig c = load("debian-php.nginx-T.txt", "/usr/share/nginx/");
        ServerBlock s = c.servers().get(0);
        LocationBlock php = NginxConfig.locationFor(s, "/index.php").orElseThrow();
        assertEquals("location ~ \\.php$", php.label());
        PassTarget t = c.passTargets(php).get(0);
        assertEquals("fastcgi", t.module());
        assertEquals(Endpoint.unix("/run/php/php8.2-fpm.sock"), t.peers().get(0).endpoint());
        assertEquals("/etc/nginx/sites-enabled/default:60", t.directive().at().toString());
        // the snippet's own include (fastcgi.conf) was spliced in where it was written
        assertTrue(php.directive().children().stream().anyMatch(d -> d.name().equals("fastcgi_split_path_info")
                && d.file().equals("/etc/nginx/snippets/fastcgi-php.conf")));
        assertTrue(php.directive().children().stream().anyMatch(d -> d.name().equals("fastcgi_param")
                && d.file().equals("/etc/nginx/fastcgi.conf")));
        assertEquals("/", NginxConfig.locationFor(s, "/about.html").orElseThrow().pattern());
    }

    @Test
    void quotedStrings_keepSemicolonsAndHashes() {
        NginxConfig c = load("tricky.nginx-T.txt", "/srv/nginx/");
        ServerBlock s = c.servers().get(0);
        Directive csp = s.directive().last("add_header").orElseThrow();
        assertEquals(List.of("Content-Security-Policy", "default-src 'self'; img-src * data:; report-uri /csp#x", "always"),
                csp.args());
        assertEquals(8, csp.line());
        Directive set = s.directive().last("set").orElseThrow();
        assertEquals(List.of("$maintenance", "off; # not a comment"), set.args());
        assertEquals(9, set.line());
    }

    @Test
    void includes_keepTheFileAndLineOfEveryDirective() {
        NginxConfig c = load("tricky.nginx-T.txt", "/srv/nginx/");
        assertEquals(2, c.servers().size());
        assertEquals(List.of("app_pool", "admin_pool"), List.copyOf(c.upstreams().keySet()));
        UpstreamBlock pool = c.upstreams().get("app_pool");
        assertEquals("/srv/nginx/conf.d/10-upstreams.conf:2", pool.directive().at().toString());
        assertEquals("/srv/nginx/conf.d/10-upstreams.conf:5", pool.peers().get(1).server().orElseThrow().at().toString());
        assertTrue(pool.peers().get(1).backup());
        assertEquals(3, pool.peers().get(0).maxFails());
        assertEquals(Duration.ofSeconds(30), pool.peers().get(0).failTimeout());
        assertEquals("/srv/nginx/conf.d/10-upstreams.conf:6", pool.keepalive().orElseThrow().at().toString());
    }

    @Test
    void map_resolvesAVariableProxyPassToItsDefaultUpstream() {
        NginxConfig c = load("tricky.nginx-T.txt", "/srv/nginx/");
        LocationBlock root = NginxConfig.locationFor(c.servers().get(0), "/cart").orElseThrow();
        PassTarget t = c.passTargets(root).get(0);
        assertEquals("app_pool", t.upstream().orElseThrow().name());
        assertEquals("map", t.variable().orElseThrow().name());
        assertEquals(List.of("127.0.0.1:3000", "localhost:3001"), t.peers().stream().map(p -> p.endpoint().key()).toList());
    }

    @Test
    void ifBlocks_holdPassTargetsOfTheirLocation() {
        NginxConfig c = load("tricky.nginx-T.txt", "/srv/nginx/");
        LocationBlock api = NginxConfig.locationFor(c.servers().get(0), "/api/items").orElseThrow();
        assertEquals("/api/", api.pattern());
        List<String> targets = c.passTargets(api).stream().map(PassTarget::target).toList();
        assertEquals(List.of("127.0.0.1:4000", "127.0.0.1:4001"), targets);
        assertEquals(30, c.passTargets(api).get(0).directive().line());
    }

    @Test
    void nestedLocation_inheritsAndOverridesTimeouts() {
        NginxConfig c = load("tricky.nginx-T.txt", "/srv/nginx/");
        ServerBlock s = c.servers().get(0);
        LocationBlock reports = NginxConfig.locationFor(s, "/api/reports/q3").orElseThrow();
        assertEquals("/api/reports/", reports.pattern());
        assertEquals(Duration.ofSeconds(120), NginxConfig.effectiveTime(reports.scope(), "proxy_read_timeout",
                Duration.ofSeconds(60)));
        LocationBlock api = NginxConfig.locationFor(s, "/api/x").orElseThrow();
        assertEquals(Duration.ofSeconds(5), NginxConfig.effectiveTime(api.scope(), "proxy_read_timeout",
                Duration.ofSeconds(60)));
        LocationBlock root = NginxConfig.locationFor(s, "/").orElseThrow();
        assertEquals(Duration.ofSeconds(30), NginxConfig.effectiveTime(root.scope(), "proxy_read_timeout",
                Duration.ofSeconds(60)), "inherited from http");
        assertEquals("8k", NginxConfig.effective(root.scope(), "proxy_buffer_size").flatMap(d -> d.arg(0)).orElseThrow());
        PassTarget viaResolver = c.passTargets(reports).get(0);
        assertEquals("reports.internal:8080", viaResolver.target());
        assertTrue(viaResolver.dynamic(), "a name behind a variable is resolved per request");
    }

    @Test
    void locationMatching_followsNginxPrecedence() {
        NginxConfig c = load("tricky.nginx-T.txt", "/srv/nginx/");
        ServerBlock s = c.servers().get(0);
        assertEquals("= /healthz", String.join(" ", NginxConfig.locationFor(s, "/healthz").orElseThrow().directive().args()));
        // ^~ wins over the image regex
        assertEquals("/static/", NginxConfig.locationFor(s, "/static/logo.png").orElseThrow().pattern());
        // the caseless regex wins over the "/" prefix
        assertEquals("\\.(png|jpe?g)$", NginxConfig.locationFor(s, "/img/LOGO.PNG").orElseThrow().pattern());
        assertEquals("/ws/", NginxConfig.locationFor(s, "/ws/chat?x=1").orElseThrow().pattern());
    }

    @Test
    void serverLookup_usesTheLoggedServerNameAndThePortOfTheHostHeader() {
        NginxConfig c = load("tricky.nginx-T.txt", "/srv/nginx/");
        assertEquals(80, c.serverFor("shop.example.com", Optional.of("shop.example.com")).orElseThrow().ports().get(0));
        assertEquals(8080, c.serverFor("shop.example.com", Optional.of("shop.example.com:8080")).orElseThrow().ports()
                .get(0));
    }

    @Test
    void otherPassDirectives_resolveToTheirAddresses() {
        NginxConfig c = load("tricky.nginx-T.txt", "/srv/nginx/");
        ServerBlock s = c.servers().get(1);
        PassTarget php = c.passTargets(NginxConfig.locationFor(s, "/x.php").orElseThrow()).get(0);
        assertEquals(Endpoint.unix("/run/php/php8.2-fpm.sock"), php.peers().get(0).endpoint());
        assertEquals("set", php.variable().orElseThrow().name());
        assertEquals(Duration.ofSeconds(90), NginxConfig.effectiveTime(NginxConfig.locationFor(s, "/x.php").orElseThrow()
                .scope(), "fastcgi_read_timeout", Duration.ofSeconds(60)));
        PassTarget grpc = c.passTargets(NginxConfig.locationFor(s, "/grpc").orElseThrow()).get(0);
        assertEquals("grpc", grpc.module());
        assertEquals(Endpoint.tcp("127.0.0.1", 50051), grpc.peers().get(0).endpoint());
        PassTarget uwsgi = c.passTargets(NginxConfig.locationFor(s, "/legacy/app").orElseThrow()).get(0);
        assertEquals("uwsgi", uwsgi.module());
        assertEquals(Endpoint.unix("/run/uwsgi/legacy.sock"), uwsgi.peers().get(0).endpoint());
    }

    @Test
    void logFormats_areConcatenatedAndAttachedToServers() {
        NginxConfig c = load("tricky.nginx-T.txt", "/srv/nginx/");
        assertTrue(c.logFormats().get("upstreamlog").contains("upstream_addr=$upstream_addr upstream_status="));
        List<NginxConfig.AccessLog> shop = c.accessLogs(c.servers().get(0));
        assertEquals("/srv/nginx/logs/shop.json.log", shop.get(0).path());
        assertEquals("json", shop.get(0).formatName());
        List<NginxConfig.AccessLog> other = c.accessLogs(c.servers().get(1));
        assertEquals("/srv/nginx/logs/access.log", other.get(0).path());
        assertEquals("upstreamlog", other.get(0).formatName());
        assertEquals(List.of("/srv/nginx/logs/error.log"), c.errorLogs(c.servers().get(0)));
    }

    @Test
    void hostnames_areTheNamesNginxMustResolve() {
        NginxConfig c = load("tricky.nginx-T.txt", "/srv/nginx/");
        assertEquals(List.of("localhost", "reports.internal"), List.copyOf(c.hostnames()));
    }

    @Test
    void parser_skipsLuaBodiesAndKeepsVariablesWithBraces() {
        List<Directive> ds = ConfigParser.parse("""
                location / {
                    content_by_lua_block {
                        ngx.say("}; # not nginx")
                    }
                    add_header X-Id ${request_id}-x;
                }
                """, "/x.conf");
        Directive loc = ds.get(0);
        assertEquals(List.of("content_by_lua_block", "add_header"), loc.children().stream().map(Directive::name).toList());
        assertEquals(List.of("X-Id", "${request_id}-x"), loc.children().get(1).args());
        assertEquals(5, loc.children().get(1).line());
    }

    @Test
    void parser_reportsBrokenFilesWithoutThrowing() {
        ConfigParser p = ConfigParser.parsed("http {\n  server {\n    listen 80\n  }\n", "/broken.conf");
        assertFalse(p.problems().isEmpty());
        assertTrue(p.problems().get(0).startsWith("/broken.conf:"), p.problems().toString());
    }

    @Test
    void glob_matchesIncludePatternsLikeNginx() {
        assertTrue(Glob.matches("/etc/nginx/conf.d/*.conf", "/etc/nginx/conf.d/a.conf"));
        assertFalse(Glob.matches("/etc/nginx/conf.d/*.conf", "/etc/nginx/conf.d/sub/a.conf"));
        assertTrue(Glob.matches("/etc/nginx/sites-enabled/*", "/etc/nginx/sites-enabled/default"));
        assertTrue(Glob.matches("/etc/n?inx/[a-c]*.conf", "/etc/nginx/b.conf"));
    }

    @Test
    void endpoint_parsesWhatNginxLogs() {
        assertEquals(Endpoint.tcp("[::1]", 8080), Endpoint.parse("[::1]:8080", 80).orElseThrow());
        assertEquals(Endpoint.unix("/run/php/php8.2-fpm.sock"), Endpoint.parse("unix:/run/php/php8.2-fpm.sock:", 80)
                .orElseThrow());
        assertEquals(Endpoint.tcp("backend", 443), Endpoint.parse("backend", 443).orElseThrow());
        assertTrue(Endpoint.parse("host:99999", 80).isEmpty());
    }
}
