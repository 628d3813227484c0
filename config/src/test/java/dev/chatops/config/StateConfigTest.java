package dev.chatops.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StateConfigTest {

    private final ConfigLoader loader = new ConfigLoader(Map.of("PGUSER", "chatops", "PGPASSWORD", "hunter2-secret"),
            Path.of("/home/chatops"));

    private BotConfig parse(String yaml) {
        return loader.parse(new StringReader(yaml), "/etc/chatops/bot.yaml", Optional.of(Path.of("/etc/chatops/bot.yaml")));
    }

    private String error(String state) {
        return assertThrows(ConfigException.class, () -> parse(state + "hosts: {web-01: {transport: local}}\n"))
                .getMessage();
    }

    @Test
    void state_absent_isSqliteBesideTheConfigKeptThirtyDays() {
        StateSettings s = parse("hosts: {web-01: {transport: local}}\n").state();
        assertEquals(Path.of("/etc/chatops/state"), s.dir());
        assertFalse(s.shared());
        assertEquals(Duration.ofDays(30), s.keep());
    }

    @Test
    void state_dirAndKeep_areRead() {
        StateSettings s = parse("state: {dir: /var/lib/chatops, keep: 7d}\nhosts: {web-01: {transport: local}}\n")
                .state();
        assertEquals(Path.of("/var/lib/chatops"), s.dir());
        assertEquals(Duration.ofDays(7), s.keep());
    }

    @Test
    void state_postgresWithCredentialsFromTheEnvironment_isShared() {
        StateSettings s = parse("""
                state:
                  url: jdbc:postgresql://db.example.com:5432/chatops?sslmode=require
                  user: ${PGUSER}
                  password: ${PGPASSWORD}
                hosts: {web-01: {transport: local}}
                """).state();
        assertTrue(s.shared());
        assertEquals("jdbc:postgresql://db.example.com:5432/chatops?sslmode=require", s.url().orElseThrow());
        assertEquals("chatops", s.user().orElseThrow().require());
        assertEquals("hunter2-secret", s.password().orElseThrow().require());
        assertFalse(s.toString().contains("hunter2-secret"), s.toString());
    }

    @Test
    void state_passwordWrittenInTheFile_isRefusedWithKeyAndLine() {
        String m = error("""
                state:
                  url: jdbc:postgresql://db:5432/chatops
                  password: hunter2
                """);
        assertEquals("/etc/chatops/bot.yaml: state.password must come from the environment, e.g. ${PGPASSWORD}, not be "
                + "written in the file (line 3)", m);
    }

    @Test
    void state_credentialsInTheUrl_areRefused() {
        String m = error("state: {url: 'jdbc:postgresql://bob:pw@db:5432/chatops'}\n");
        assertTrue(m.startsWith("/etc/chatops/bot.yaml: state.url must not hold credentials"), m);
        assertFalse(m.contains("pw@"), m);
        assertTrue(error("state: {url: 'jdbc:postgresql://db:5432/chatops?password=x'}\n")
                .contains("must not hold credentials"));
    }

    @Test
    void state_otherDatabaseUrl_isRefused() {
        String m = error("state: {url: 'jdbc:mysql://db:3306/chatops'}\n");
        assertEquals("/etc/chatops/bot.yaml: state.url must be a PostgreSQL JDBC URL like "
                + "jdbc:postgresql://db.example.com:5432/chatops, not `jdbc:mysql://db:3306/chatops` (line 1)", m);
    }

    @Test
    void state_dirAndUrlTogether_areRefused() {
        assertTrue(error("state: {dir: /tmp/x, url: 'jdbc:postgresql://db/chatops'}\n")
                .contains("state.url cannot be given with state.dir"));
    }

    @Test
    void state_credentialsWithoutUrl_areRefused() {
        assertTrue(error("state: {user: '${PGUSER}'}\n").contains("state.user only applies to a shared store"));
    }

    @Test
    void state_keepTooShortOrUnknownKey_isRefused() {
        assertTrue(error("state: {keep: 10m}\n").contains("state.keep must be at least 1h"));
        assertTrue(error("state: {retention: 30d}\n").contains("state.retention is not a known key; allowed here: "
                + "dir, keep, password, url, user"));
    }
}
