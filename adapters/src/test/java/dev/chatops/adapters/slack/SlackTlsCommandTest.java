package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.adapters.tls.TlsPlugin;
import dev.chatops.core.registry.CheckRegistry;
import dev.chatops.core.spi.Check;
import dev.chatops.core.testing.FakeTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /tlscheck web-03} through the real Bolt app (HTTP mode, signed requests, a fake Slack Web API over
 * real HTTP), with the tls check loaded from the built plugin jar in plugins/ and one {@code commands:} entry
 * mapping the slash command to it.
 */
class SlackTlsCommandTest {

    @TempDir
    Path dir;

    @Test
    void tlscheck_pluginFromPluginsFolder_threadNamesTheExpiringCertificate() throws Exception {
        Path plugins = TlsPlugin.install(dir);
        Path certs = TlsPlugin.makeCerts(dir.resolve("certs"));
        Check tls = CheckRegistry.load(getClass().getClassLoader(), Optional.of(plugins)).find("tls").orElseThrow();
        Path cert = certs.resolve("expiring.crt");
        Path key = certs.resolve("expiring.key");
        FakeTransport host = new FakeTransport()
                .answer("nginx", TlsPlugin.nginxProbeOutput(cert, key))
                .answer("certs", "@@tls file " + cert + "\n" + Files.readString(cert))
                .answer("key.0", TlsPlugin.run(List.of("openssl", "pkey", "-in", key.toString(), "-pubout")));
        SlackHarness.Builder b = SlackHarness.builder().commands(Map.of("/nginx502", "nginx502", "/tlscheck", "tls"))
                .checks(tls).transport(host);
        // the certificates were made relative to now; the harness clock stamps the evidence
        b.clock().set(Instant.now());

        try (SlackHarness h = b.startHttp()) {
            SlackHarness.SlackThread thread = h.slash("/tlscheck web-03");

            assertEquals("Checking web-03…", thread.ack().text());
            assertTrue(thread.verdict().text().contains("*web-03*"), thread.verdict().text());
            assertTrue(thread.verdict().text().contains("1 certificate expires within 14 days"),
                    thread.verdict().text());
            String replies = thread.replyText();
            assertTrue(replies.contains("A certificate expires within 14 days"), replies);
            assertTrue(replies.contains("web-03 · tls · 3 probes"), replies);
            assertTrue(replies.contains("in `/etc/nginx/nginx.conf:6`"), replies);
            h.assertEveryMessageWithinLimits();
        }
    }
}
