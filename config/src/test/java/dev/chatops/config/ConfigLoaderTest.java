package dev.chatops.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.host.Host;
import dev.chatops.core.limit.Limits;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private static final Path HOME = Path.of("/home/chatops");
    private final ConfigLoader loader = new ConfigLoader(Map.of("SLACK_BOT_TOKEN", "xoxb-test-token",
            "SLACK_SIGNING_SECRET", "s3cr3t"), HOME);

    private BotConfig parse(String yaml) {
        return loader.parse(new StringReader(yaml), "bot.yaml", Optional.empty());
    }

    private String error(String yaml) {
        return assertThrows(ConfigException.class, () -> parse(yaml)).getMessage();
    }

    @Test
    void parse_contractExample_givesTypedConfig() throws Exception {
        BotConfig c = loader.load(Path.of(getClass().getResource("/contract-example.yaml").toURI()));

        assertEquals(SlackSettings.Mode.SOCKET, c.slack().mode());
        assertEquals("xoxb-test-token", c.slack().botToken().require());
        assertFalse(c.slack().appToken().isPresent());
        assertEquals("https://slack.com/api/", c.slack().apiUrl());
        assertEquals("127.0.0.1", c.slack().bind(), "HTTP mode listens on loopback unless told otherwise");
        assertEquals(Map.of("/nginx502", "nginx502"), c.commands());
        assertEquals(Set.of("C0123ABCD"), c.access().channels());
        SshSettings ssh = c.ssh().orElseThrow();
        assertEquals("chatops", ssh.user());
        assertEquals(HOME.resolve(".ssh/chatops_ed25519"), ssh.identityFile());
        assertEquals(Duration.ofSeconds(5), ssh.connectTimeout());
        assertEquals(Duration.ofSeconds(20), ssh.commandTimeout());
        assertTrue(ssh.sudo());
        assertEquals(Optional.of("bastion.example.com"), ssh.jumpHost());
        Host web03 = c.hosts().find("web-03").orElseThrow();
        assertEquals("10.0.3.13", web03.address());
        assertEquals(Set.of("web", "prod"), web03.tags());
        assertEquals(Host.TransportKind.LOCAL, c.hosts().find("localhost").orElseThrow().transport());
        assertEquals(Duration.ofSeconds(60), c.cacheTtl());
        assertEquals("0 8 * * MON-FRI", c.schedules().get(0).cron());
        assertEquals(ZoneId.of("Europe/Berlin"), c.schedules().get(0).zone());
        assertEquals(List.of("web-01", "web-02", "web-03"), c.schedules().get(0).hosts());
    }

    @Test
    void parse_unknownKey_namesPathLineAndAllowedKeys() {
        String message = error("""
                hosts:
                  web-03:
                    address: 10.0.3.13
                    prot: 22
                """);

        assertEquals("bot.yaml: hosts.web-03.prot is not a known key; allowed here: address, port, tags, transport "
                + "(line 4)", message);
    }

    @Test
    void parse_portOutOfRange_namesPathAndLine() {
        String message = error("""
                hosts:
                  web-03:
                    address: 10.0.3.13
                    port: 70000
                    transport: local
                """);

        assertEquals("bot.yaml: hosts.web-03.port must be 1-65535, not 70000 (line 4)", message);
    }

    @Test
    void parse_wrongType_saysWhatIsExpected() {
        String message = error("""
                access:
                  channels: C0123ABCD
                hosts:
                  localhost: {transport: local}
                """);

        assertEquals("bot.yaml: access.channels must be a list, e.g. [a, b] (line 2)", message);
    }

    @Test
    void parse_badDuration_saysHowToWriteOne() {
        String message = error("""
                cache:
                  ttl: 5 minutes
                hosts:
                  localhost: {transport: local}
                """);

        assertEquals("bot.yaml: cache.ttl `5 minutes` is not a duration; write a number with ms, s, m, h or d, "
                + "e.g. 5s (line 2)", message);
    }

    @Test
    void parse_missingRequiredValue_namesIt() {
        String message = error("""
                ssh:
                  identityFile: ~/.ssh/id_ed25519
                hosts:
                  web-01: {address: 10.0.0.1}
                """);

        assertEquals("bot.yaml: ssh needs `user` (line 2)", message);
    }

    @Test
    void parse_noHosts_isRefused() {
        assertEquals("bot.yaml: needs `hosts` (line 1)", error("cache: {ttl: 60s}\n"));
    }

    @Test
    void parse_sshHostWithoutSshSection_saysWhatToAdd() {
        String message = error("""
                hosts:
                  web-01: {address: 10.0.0.1}
                """);

        assertTrue(message.startsWith("bot.yaml: hosts.web-01 is reached over SSH, but there is no ssh: section"),
                message);
        assertTrue(message.endsWith("(line 2)"), message);
    }

    @Test
    void parse_unsetEnvironmentVariable_isErrorOnlyWhenSecretIsRequired() {
        BotConfig c = parse("""
                slack:
                  mode: http
                  signingSecret: ${MISSING_SECRET}
                hosts:
                  localhost: {transport: local}
                """);

        ConfigException e = assertThrows(ConfigException.class, () -> c.slack().signingSecret().require());
        assertEquals("bot.yaml: slack.signingSecret needs the environment variable MISSING_SECRET, which is not set; "
                + "export it or write the value in the file (line 3)", e.getMessage());
    }

    @Test
    void parse_unsetVariableInNonSecret_isStartupError() {
        String message = error("""
                hosts:
                  localhost: {transport: local, address: "${NOPE}"}
                """);

        assertTrue(message.startsWith("bot.yaml: hosts.localhost.address needs the environment variable NOPE"), message);
    }

    @Test
    void parse_javaTag_isRefusedWithoutConstructingAnything() {
        String message = error("""
                hosts: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL ["http://x/"]]]]
                """);

        assertTrue(message.startsWith("bot.yaml: is not valid YAML: Global tag is not allowed"), message);
    }

    @Test
    void parse_localTag_isRefused() {
        String message = error("""
                hosts:
                  localhost: !host {transport: local}
                """);

        assertEquals("bot.yaml: hosts.localhost uses the tag !host; only plain values, lists and maps are allowed "
                + "(line 2)", message);
    }

    @Test
    void parse_malformedYaml_givesLine() {
        String message = error("""
                hosts:
                  web-01: {address: 10.0.0.1
                cache: [
                """);

        assertTrue(message.startsWith("bot.yaml: is not valid YAML:"), message);
        assertTrue(message.matches(".*\\(line \\d+\\)"), message);
    }

    @Test
    void parse_scheduleWithUnknownHost_listsKnownHosts() {
        String message = error("""
                hosts:
                  localhost: {transport: local}
                schedules:
                  - name: morning
                    cron: "0 8 * * MON-FRI"
                    channel: C1
                    hosts: [web-09]
                """);

        assertEquals("bot.yaml: schedules[0].hosts[0] names `web-09`, which is not under hosts:; listed there: "
                + "localhost (line 7)", message);
    }

    @Test
    void parse_durations_acceptUnitsAndIso() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofMinutes(15), Durations.parse("15m"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("PT1M30S"));
        assertEquals("15m", Durations.format(Duration.ofMinutes(15)));
    }

    @Test
    void secret_toString_neverShowsTheValue() {
        BotConfig c = parse("""
                slack: {botToken: "${SLACK_BOT_TOKEN}"}
                hosts:
                  localhost: {transport: local}
                """);

        assertFalse(c.slack().toString().contains("xoxb-test-token"), c.slack().toString());
    }

    @Test
    void load_missingFile_saysWhatToDo(@org.junit.jupiter.api.io.TempDir Path tmp) {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(tmp.resolve("bot.yaml")));

        assertTrue(e.getMessage().contains("does not exist; pass --config FILE or copy config/bot.example.yaml"),
                e.getMessage());
    }

    @Test
    void load_relativePaths_resolveBesideTheConfigFile(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("bot.yaml");
        Files.writeString(file, """
                ssh: {user: chatops, identityFile: keys/id_ed25519, knownHosts: keys/known_hosts}
                hosts:
                  web-01: {address: 10.0.0.1}
                """);

        BotConfig c = loader.load(file);

        assertEquals(tmp.resolve("keys/id_ed25519"), c.ssh().orElseThrow().identityFile());
        assertEquals(List.of(), c.plugins());
    }

    @Test
    void parse_plugins_absoluteFoldersInOrder() {
        BotConfig c = parse("plugins: [/opt/chatops/plugins, ~/plugins]\nhosts: {web-01: {transport: local}}\n");

        assertEquals(List.of(Path.of("/opt/chatops/plugins"), HOME.resolve("plugins")), c.plugins());
    }

    @Test
    void parse_relativePluginFolder_isRefused() {
        assertEquals("bot.yaml: plugins[0] must be an absolute path such as /opt/chatops/plugins, not `plugins` (line 1)",
                error("plugins: [plugins]\nhosts: {web-01: {transport: local}}\n"));
    }

    @Test
    void parse_invalidValueFromEnvironment_isNeverEchoed() {
        ConfigLoader withSecret = new ConfigLoader(Map.of("SECRET", "Hunter2 is:not a port!"), HOME);
        for (String yaml : List.of(
                "hosts: {web-01: {port: \"${SECRET}\"}}\nssh: {user: c, identityFile: /k}\n",
                "hosts: {web-01: {address: \"${SECRET} x\"}}\nssh: {user: c, identityFile: /k}\n",
                "hosts: {web-01: {transport: \"${SECRET}\"}}\n",
                "ssh: {user: \"${SECRET}\", identityFile: /k}\nhosts: {web-01: {}}\n",
                "ssh: {user: c, identityFile: /k, sudo: \"${SECRET}\"}\nhosts: {web-01: {}}\n",
                "ssh: {user: c, identityFile: /k, connectTimeout: \"${SECRET}\"}\nhosts: {web-01: {}}\n",
                "limits: {queue: \"${SECRET}\"}\nhosts: {web-01: {transport: local}}\n",
                "plugins: [\"${SECRET}\"]\nhosts: {web-01: {transport: local}}\n")) {
            String message = assertThrows(ConfigException.class,
                    () -> withSecret.parse(new StringReader(yaml), "bot.yaml", Optional.empty())).getMessage();
            assertFalse(message.contains("Hunter2"), message);
            assertTrue(message.contains("the value of ${SECRET}"), message);
        }
    }

    @Test
    void load_fileOverOneMebibyte_isRefusedBeforeReading(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path huge = tmp.resolve("bot.yaml");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(2_200_000_000L); // sparse: no disk, and far more than the heap
        }

        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(huge));

        assertEquals("config file " + huge + " is larger than 1 MiB, far more than any bot.yaml; pass --config with "
                + "the bot's configuration file", e.getMessage());
    }

    @Test
    void load_shippedExample_isValid() {
        BotConfig c = loader.load(Path.of("bot.example.yaml"));

        assertEquals(List.of("web-01", "web-02", "localhost"), c.hosts().names());
        assertEquals(Duration.ofMinutes(15), c.window());
        assertEquals(List.of("web"), c.schedules().get(0).tags());
        assertEquals(new Limits(16, 64), c.limits());
        assertEquals(SlackSettings.DEFAULT_BIND, c.slack().bind());
        assertEquals(Duration.ofSeconds(5), c.unreachableTtl());
    }

    @Test
    void parse_slackBind_read() {
        BotConfig c = parse("""
                slack:
                  mode: http
                  bind: 0.0.0.0
                hosts:
                  localhost: {transport: local}
                """);
        assertEquals("0.0.0.0", c.slack().bind());
    }

    @Test
    void parse_slackBindNotAnAddress_refused() {
        assertEquals("bot.yaml: slack.bind `all; rm -rf /` is not an IP address to listen on, e.g. 127.0.0.1 or "
                + "0.0.0.0 (line 3)", error("""
                slack:
                  mode: http
                  bind: "all; rm -rf /"
                hosts:
                  localhost: {transport: local}
                """));
    }
    @Test
    void parse_sshKeepAlive_isOffUnlessSet() {
        assertEquals(Duration.ZERO, parse("ssh: {user: c, identityFile: /k}\nhosts: {web-01: {}}\n")
                .ssh().orElseThrow().keepAlive());
        assertEquals(Duration.ofSeconds(60), parse("ssh: {user: c, identityFile: /k, keepAlive: 60s}\n"
                + "hosts: {web-01: {}}\n").ssh().orElseThrow().keepAlive());
        assertFalse(parse("ssh: {user: c, identityFile: /k, keepAlive: 0s}\nhosts: {web-01: {}}\n")
                .ssh().orElseThrow().keepsConnections());
    }

    @Test
    void parse_sshKeepAliveInvalid_namesKeyAndLine() {
        assertEquals("bot.yaml: ssh.keepAlive `soon` is not a duration; write a number with ms, s, m, h or d, "
                + "e.g. 60s (line 4)", error("ssh:\n  user: c\n  identityFile: /k\n  keepAlive: soon\n"
                + "hosts: {web-01: {}}\n"));
        assertEquals("bot.yaml: ssh.keepAlive must be at most 1h: a kept connection is an authenticated session "
                + "idling on the host; use 0 to close each connection after its run (line 4)",
                error("ssh:\n  user: c\n  identityFile: /k\n  keepAlive: 2h\nhosts: {web-01: {}}\n"));
    }

    @Test
    void parse_managementPort_listensOnLoopbackByDefault() {
        BotConfig c = parse("""
                management:
                  port: 9102
                hosts:
                  localhost: {transport: local}
                """);

        assertEquals(Optional.of(new ManagementSettings(9102, "127.0.0.1")), c.management());
    }

    @Test
    void parse_noManagementSection_servesNoManagementPort() {
        assertEquals(Optional.empty(), parse("""
                hosts:
                  localhost: {transport: local}
                """).management());
    }

    @Test
    void parse_managementWithoutPort_saysPortIsMissing() {
        String message = error("""
                management:
                  bind: 0.0.0.0
                hosts:
                  localhost: {transport: local}
                """);

        assertEquals("bot.yaml: management needs `port` (line 2)", message);
    }

    @Test
    void parse_managementOnSlackPort_refusedWithTheClash() {
        String message = error("""
                slack:
                  mode: http
                  port: 3000
                management:
                  port: 3000
                hosts:
                  localhost: {transport: local}
                """);

        assertTrue(message.contains("management") && message.contains("slack.port") && message.contains("line 5"),
                message);
    }

    @Test
    void parse_replicas_countAndLease() {
        BotConfig c = parse("""
                replicas:
                  count: 2
                  lease: 10s
                hosts:
                  localhost: {transport: local}
                """);

        assertEquals(new ReplicaSettings(2, Duration.ofSeconds(10)), c.replicas());
    }

    @Test
    void parse_noReplicasSection_oneReplicaWithTheDefaultLease() {
        assertEquals(new ReplicaSettings(1, Duration.ofSeconds(30)), parse("""
                hosts:
                  localhost: {transport: local}
                """).replicas());
    }

    @Test
    void parse_replicaLeaseTooShort_saysTheBounds() {
        String message = error("""
                replicas:
                  lease: 100ms
                hosts:
                  localhost: {transport: local}
                """);

        assertEquals("bot.yaml: replicas.lease must be between 1s and 10m: it is how long the other replicas wait "
                + "for one that died (line 2)", message);
    }
}
