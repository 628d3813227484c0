package dev.chatops.store;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.history.HistoryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.BiFunction;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Opens a history store and brings its schema up to date with the versioned migrations in
 * {@code dev/chatops/store/migration} (the same for both databases).
 */
public final class SqlStores {

    /** The SQLite file's name inside the state folder. */
    public static final String SQLITE_FILE = "history.db";

    private static final String MIGRATIONS = "classpath:dev/chatops/store/migration";
    /** The newest migration's version; a test holds it to the files in the migration folder. */
    static final int LATEST_VERSION = 2;
    private static final String JUL_LOGGING = "org.flywaydb.core.internal.logging.javautil.JavaUtilLogCreator";
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    private SqlStores() {
    }

    /**
     * The embedded store: {@value #SQLITE_FILE} in {@code dir}. The folder (0700) and the file (0600) are
     * made on first use: reports name hosts and quote their logs, so only the bot's user may read them.
     *
     * @throws HistoryException when the folder or the database cannot be made or upgraded
     */
    public static JdbcHistory sqlite(Path dir) {
        requireNonNull(dir, "dir is null");
        Path file = dir.resolve(SQLITE_FILE);
        String where = "the SQLite store " + file;
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
            }
            if (!Files.exists(file)) {
                // an empty file is an empty database to SQLite; making it first decides its mode
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new HistoryException("cannot make " + where + ": " + e.getMessage() + "; set state.dir to a folder "
                    + "the bot's user may write", e);
        }
        // WAL lets a reader (the history command) work while the bot writes; busy_timeout makes a second
        // process wait for a write lock instead of failing at once
        String url = "jdbc:sqlite:" + file + "?journal_mode=WAL&busy_timeout=10000&foreign_keys=true";
        Connections connections = () -> DriverManager.getConnection(url);
        migrate(where, url, Optional.empty(), Optional.empty(), connections);
        return new JdbcHistory(where, connections);
    }

    /**
     * The shared store on a PostgreSQL server; the user and password come from the environment and
     * appear in no message.
     *
     * @param url {@code jdbc:postgresql://host:port/database}, without credentials
     * @throws HistoryException when the server cannot be reached or the schema cannot be upgraded
     */
    public static JdbcHistory postgres(String url, Optional<String> user, Optional<String> password) {
        return onPostgres(url, user, password, JdbcHistory::new);
    }

    /**
     * The leases and shared runs of replicas on the same PostgreSQL store as {@link #postgres}, its
     * schema brought up to date first.
     *
     * @throws HistoryException when the server cannot be reached or the schema cannot be upgraded
     */
    public static JdbcReplicaStore postgresReplicas(String url, Optional<String> user, Optional<String> password) {
        return onPostgres(url, user, password, JdbcReplicaStore::new);
    }

    /** A store on the PostgreSQL server at {@code url}, its schema brought up to date first. */
    private static <T> T onPostgres(String url, Optional<String> user, Optional<String> password,
                                    BiFunction<String, Connections, T> store) {
        String where = postgresWhere(url);
        Properties props = postgresProperties(user, password);
        Connections connections = () -> DriverManager.getConnection(url, props);
        migrate(where, url, user, password, connections);
        return store.apply(where, connections);
    }

    private static String postgresWhere(String url) {
        requireNonNull(url, "url is null");
        if (!url.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + url);
        }
        int query = url.indexOf('?');
        return "the PostgreSQL store " + (query < 0 ? url : url.substring(0, query));
    }

    private static Properties postgresProperties(Optional<String> user, Optional<String> password) {
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
        Properties props = new Properties();
        user.ifPresent(u -> props.setProperty("user", u));
        password.ifPresent(p -> props.setProperty("password", p));
        // bounded waits: a store that hangs must not hold up an answer for long
        props.setProperty("connectTimeout", "5");
        props.setProperty("loginTimeout", "10");
        props.setProperty("socketTimeout", "30");
        props.setProperty("ApplicationName", "chatops-bot");
        return props;
    }

    private static void migrate(String where, String url, Optional<String> user, Optional<String> password,
                                Connections connections) {
        if (upToDate(connections)) {
            // the usual case: one query instead of Flyway's start-up and class path scan, which cost a
            // command-line check most of a second
            return;
        }
        try {
            Flyway.configure(SqlStores.class.getClassLoader())
                    // through java.util.logging like the bot's own lines, so the command line's quiet
                    // level applies to the migrations' chatter too
                    .loggers(JUL_LOGGING)
                    .dataSource(url, user.orElse(null), password.orElse(null))
                    .locations(MIGRATIONS)
                    .connectRetries(0)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new HistoryException("cannot open " + where + ": " + firstLine(e.getMessage()) + "; check that "
                    + "it is reachable and that the bot's user may create tables there", e);
        }
    }

    /** Whether the schema is at {@link #LATEST_VERSION} with no failed migration; false when unsure. */
    static boolean upToDate(Connections connections) {
        try (Connection c = connections.open();
             PreparedStatement s = c.prepareStatement("SELECT version, success FROM flyway_schema_history "
                     + "WHERE version IS NOT NULL");
             ResultSet rs = s.executeQuery()) {
            int newest = 0;
            while (rs.next()) {
                if (!rs.getBoolean(2)) {
                    return false;
                }
                newest = Math.max(newest, Integer.parseInt(rs.getString(1)));
            }
            return newest == LATEST_VERSION;
        } catch (SQLException | NumberFormatException e) {
            return false; // no such table yet, or unreadable: Flyway decides and says what is wrong
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        String s = message.strip();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
