package dev.chatops.store;

import dev.chatops.core.history.HistoryException;
import java.sql.Connection;
import java.sql.SQLException;

/** Opens connections to one store, and runs a piece of work on a connection of its own. */
@FunctionalInterface
interface Connections {

    Connection open() throws SQLException;

    /** Work done on one connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work} on a connection of its own, closed after.
     *
     * @param where names the store, e.g. {@code the SQLite store /srv/bot/state/history.db}
     * @param what  what the work does, to finish "could not …"
     * @param check what to check when it fails
     */
    default <T> T run(String where, String what, String check, Work<T> work) {
        try (Connection c = open()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failure(where, what, check, e);
        }
    }

    static HistoryException failure(String where, String what, String check, SQLException e) {
        return new HistoryException("could not " + what + " in " + where + ": " + e.getMessage() + "; " + check, e);
    }
}
