package dev.chatops.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {

    @TempDir
    Path temp;

    @Test
    void latestVersion_isTheNewestMigrationFile() throws IOException, URISyntaxException {
        Path folder = Path.of(SqlStores.class.getResource("migration").toURI());
        Pattern name = Pattern.compile("V(\\d+)__[a-z0-9_]+\\.sql");
        int newest = 0;
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.toList()) {
                Matcher m = name.matcher(f.getFileName().toString());
                assertTrue(m.matches(), "a migration is named V<n>__<words>.sql: " + f.getFileName());
                newest = Math.max(newest, Integer.parseInt(m.group(1)));
            }
        }
        assertEquals(newest, SqlStores.LATEST_VERSION);
    }

    @Test
    void upToDate_onlyWhenTheNewestVersionAppliedCleanly() throws Exception {
        Path dir = temp.resolve("state");
        String url = "jdbc:sqlite:" + dir.resolve(SqlStores.SQLITE_FILE);
        SqlStores.sqlite(dir);
        assertTrue(SqlStores.upToDate(() -> DriverManager.getConnection(url)));
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("UPDATE flyway_schema_history SET success = 0");
        }
        assertFalse(SqlStores.upToDate(() -> DriverManager.getConnection(url)), "a failed migration is Flyway's to judge");
        assertFalse(SqlStores.upToDate(() -> DriverManager.getConnection("jdbc:sqlite:" + temp.resolve("empty.db"))));
    }
}
