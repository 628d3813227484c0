package dev.chatops.adapters.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.adapters.app.BotApp;
import dev.chatops.adapters.cli.Cli;
import dev.chatops.config.ConfigLoader;
import dev.chatops.core.registry.CheckRegistry;
import dev.chatops.core.report.Report;
import dev.chatops.core.run.CheckRunner;
import dev.chatops.core.host.Host;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Verdict;
import dev.chatops.core.testing.FakeTransport;
import dev.chatops.core.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tls check as a drop-in plugin: the jar the reactor built, copied into plugins/, loaded by the real
 * registry (it is not on the bot's class path), listed by {@code checks}, and run from the command line
 * against this machine's real nginx serving an expired certificate.
 */
class TlsPluginTest {

    @TempDir
    static Path dir;
    static Path plugins;
    static Path certs;

    @BeforeAll
    static void install() throws Exception {
        plugins = TlsPlugin.install(dir);
        certs = TlsPlugin.makeCerts(dir.resolve("certs"));
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int cli(String yamlTail, String... args) throws Exception {
        Files.writeString(dir.resolve("bot.yaml"), "plugins: [" + plugins + "]\nhosts:\n  localhost: {transport: local}\n"
                + yamlTail);
        // the real clock: the certificates were made relative to now
        MutableClock clock = new MutableClock(Instant.now());
        Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ConfigLoader(Map.of(), dir), dir, clock,
                config -> BotApp.start(config, clock));
        return cli.run(args);
    }

    @Test
    void classPath_doesNotHoldTheTlsCheck() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("dev.chatops.checks.tls.TlsCheck"));
    }

    @Test
    void registry_loadsTheBuiltJarFromPlugins_withItsSetting() {
        CheckRegistry registry = CheckRegistry.load(getClass().getClassLoader(), Optional.of(plugins));

        assertTrue(registry.problems().isEmpty(), registry.problems().toString());
        assertEquals(plugins.resolve("tls-check.jar").toString(), registry.origin("tls"));
        Check tls = registry.find("tls").orElseThrow();
        assertEquals(14, registry.settings(tls).wholeNumber("warnDays", 0));
        assertEquals(7, registry.withSettings(Map.of("tls", Map.of("warnDays", 7))).settings(tls)
                .wholeNumber("warnDays", 0));
    }

    @Test
    void registry_loadedCheck_runsThroughTheRunner_andNamesTheExpiredCertificate() throws Exception {
        Check tls = CheckRegistry.load(getClass().getClassLoader(), Optional.of(plugins)).find("tls").orElseThrow();
        Path cert = certs.resolve("expired.crt");
        Path key = certs.resolve("expired.key");
        FakeTransport host = new FakeTransport()
                .answer("nginx", TlsPlugin.nginxProbeOutput(cert, key))
                .answer("certs", "@@tls file " + cert + "\n" + Files.readString(cert))
                .answer("key.0", TlsPlugin.run(List.of("openssl", "pkey", "-in", key.toString(), "-pubout")));

        Report r = new CheckRunner(host, Clock.systemUTC()).run(tls, Host.local("web-03"), CheckOptions.defaults()
                .withSettings(dev.chatops.core.spi.Settings.of(tls.settings(), Map.of()))).report();

        assertEquals(Verdict.CAUSE_FOUND, r.verdict(), r.summary() + r.notes());
        assertEquals("1 certificate has expired", r.summary());
        assertEquals("cert-expired", r.causes().get(0).id());
        assertEquals("openssl pkey -in '" + key + "' -pubout", host.commands().get(2));
    }

    @Test
    void checks_listsTheTlsPluginWithItsJarAndSetting() throws Exception {
        int code = cli("", "checks", "--config", "bot.yaml");

        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("tls  (" + plugins.resolve("tls-check.jar") + ")\n"), text);
        assertTrue(text.contains("    setting warnDays: a whole number 1-365, default 14. Days before a certificate "
                + "expires from which it is reported.\n"), text);
    }

    @Test
    void check_tlsLocalhost_realNginxWithExpiredCertificate_isCertExpired() throws Exception {
        TlsPlugin.needs(Files.isExecutable(Path.of("/usr/sbin/nginx")), "nginx is not installed");
        TlsPlugin.needs("root".equals(System.getProperty("user.name")), "the check reads root's nginx masters: run as root");
        Path site = Files.createDirectories(dir.resolve("site"));
        Path conf = site.resolve("nginx.conf");
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.writeString(conf, "pid " + site.resolve("nginx.pid") + ";\nerror_log " + site.resolve("error.log")
                + ";\nevents {}\nhttp {\n    access_log off;\n    client_body_temp_path " + site + "/body;\n"
                + "    proxy_temp_path " + site + "/proxy;\n    server {\n        listen 127.0.0.1:" + port + " ssl;\n"
                + "        server_name " + TlsPlugin.NAME + ";\n        ssl_certificate " + certs.resolve("expired.crt")
                + ";\n        ssl_certificate_key " + certs.resolve("expired.key") + ";\n    }\n}\n");
        try (AutoCloseable lock = TlsPlugin.labLock()) {
            TlsPlugin.run(List.of("/usr/sbin/nginx", "-p", site.toString(), "-c", conf.toString()));
            try {
                int code = cli("checks:\n  tls:\n    warnDays: 30\n", "check", "tls", "localhost", "--format", "json");

                String json = out.toString(StandardCharsets.UTF_8);
                assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
                assertTrue(json.contains("\"verdict\": \"cause-found\""), json);
                assertTrue(json.contains("\"id\": \"cert-expired\""), json);
                assertTrue(json.contains(certs.resolve("expired.crt") + ")"), json);
                assertTrue(json.contains("\"file\": \"" + conf + "\""), json);
            } finally {
                TlsPlugin.run(List.of("/usr/sbin/nginx", "-p", site.toString(), "-c", conf.toString(), "-s", "stop"));
            }
        }
    }
}
