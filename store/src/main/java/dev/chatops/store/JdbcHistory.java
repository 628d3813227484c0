package dev.chatops.store;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.history.Answer;
import dev.chatops.core.history.CauseTally;
import dev.chatops.core.history.History;
import dev.chatops.core.history.StoredReport;
import dev.chatops.core.history.StoredSweep;
import dev.chatops.core.spi.Verdict;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The history in a SQL database through plain JDBC, with SQL that SQLite and PostgreSQL both run.
 * Each call takes its own connection, so threads and processes share the store through the
 * database's own locking; writes of more than one row are one transaction.
 */
public final class JdbcHistory implements History {

    /** What a report list returns at most, whatever the caller asks: a history is read by people. */
    static final int MAX_ROWS = 1000;

    private final String where;
    private final Connections connections;

    /**
     * @param where names the store in error messages, e.g. {@code the SQLite store /srv/bot/state/history.db};
     *              never holds a credential
     */
    JdbcHistory(String where, Connections connections) {
        this.where = requireNonNull(where, "where is null");
        this.connections = requireNonNull(connections, "connections is null");
    }

    /** Names the store, for logs and errors. */
    public String where() {
        return where;
    }

    @Override
    public void saveReport(StoredReport r) {
        requireNonNull(r, "report is null");
        update("save report " + r.id(), c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO reports (id, check_name, host, at_ms, verdict, "
                    + "cause_id, requester, channel, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                s.setString(1, r.id());
                s.setString(2, r.check());
                s.setString(3, r.host());
                s.setLong(4, r.at().toEpochMilli());
                s.setString(5, r.verdict().name());
                s.setString(6, r.causeId());
                s.setString(7, r.requester());
                s.setString(8, r.channel());
                s.setString(9, r.json());
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<StoredReport> report(String id) {
        requireNonNull(id, "id is null");
        return query("read report " + id, c -> {
            try (PreparedStatement s = c.prepareStatement(REPORT_COLUMNS + " WHERE id = ?")) {
                s.setString(1, id);
                List<StoredReport> found = reports(s);
                return found.stream().findFirst();
            }
        });
    }

    @Override
    public List<StoredReport> reports(String host, Instant since, int limit) {
        requireNonNull(host, "host is null");
        requireNonNull(since, "since is null");
        return query("read the reports of " + host, c -> {
            try (PreparedStatement s = c.prepareStatement(REPORT_COLUMNS
                    + " WHERE host = ? AND at_ms >= ? ORDER BY at_ms DESC, id DESC LIMIT ?")) {
                s.setString(1, host);
                s.setLong(2, since.toEpochMilli());
                s.setInt(3, bounded(limit));
                return reports(s);
            }
        });
    }

    @Override
    public List<StoredReport> recentReports(Collection<String> channels, int limit) {
        List<String> list = List.copyOf(requireNonNull(channels, "channels is null"));
        if (list.isEmpty()) {
            return List.of();
        }
        return query("read the recent reports", c -> {
            String marks = String.join(", ", java.util.Collections.nCopies(list.size(), "?"));
            try (PreparedStatement s = c.prepareStatement(REPORT_COLUMNS + " WHERE channel IN (" + marks
                    + ") ORDER BY at_ms DESC, id DESC LIMIT ?")) {
                int i = 1;
                for (String ch : list) {
                    s.setString(i++, ch);
                }
                s.setInt(i, bounded(limit));
                return reports(s);
            }
        });
    }

    @Override
    public void saveAnswer(Answer a) {
        requireNonNull(a, "answer is null");
        update("save the answer of " + a.user() + " on report " + a.reportId(), c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO answers (report_id, user_id, check_name, "
                    + "cause_id, confirmed, at_ms) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (report_id, user_id) DO UPDATE "
                    + "SET check_name = excluded.check_name, cause_id = excluded.cause_id, "
                    + "confirmed = excluded.confirmed, at_ms = excluded.at_ms")) {
                s.setString(1, a.reportId());
                s.setString(2, a.user());
                s.setString(3, a.check());
                s.setString(4, a.causeId());
                s.setInt(5, a.confirmed() ? 1 : 0);
                s.setLong(6, a.at().toEpochMilli());
                s.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<CauseTally> tallies() {
        return query("read the answer counts", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT check_name, cause_id, "
                    + "SUM(confirmed) AS yes, SUM(1 - confirmed) AS no FROM answers GROUP BY check_name, cause_id "
                    + "ORDER BY yes DESC, no ASC, check_name, cause_id");
                 ResultSet rs = s.executeQuery()) {
                List<CauseTally> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new CauseTally(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4)));
                }
                return out;
            }
        });
    }

    @Override
    public void saveSweep(StoredSweep sweep) {
        requireNonNull(sweep, "sweep is null");
        update("save sweep " + sweep.id() + " of " + sweep.schedule(), c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO sweeps (id, schedule, check_name, at_ms, "
                    + "duration_ms) VALUES (?, ?, ?, ?, ?)")) {
                s.setString(1, sweep.id());
                s.setString(2, sweep.schedule());
                s.setString(3, sweep.check());
                s.setLong(4, sweep.at().toEpochMilli());
                s.setLong(5, sweep.durationMs());
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO sweep_hosts (sweep_id, position, host, verdict, "
                    + "cause_id, gateway_errors) VALUES (?, ?, ?, ?, ?, ?)")) {
                int position = 0;
                for (StoredSweep.SweptHost h : sweep.hosts()) {
                    s.setString(1, sweep.id());
                    s.setInt(2, position++);
                    s.setString(3, h.host());
                    s.setString(4, h.verdict().name());
                    s.setString(5, h.causeId());
                    s.setInt(6, h.gatewayErrors());
                    s.addBatch();
                }
                s.executeBatch();
            }
            return null;
        });
    }

    @Override
    public List<StoredSweep> sweeps(String schedule, int limit) {
        requireNonNull(schedule, "schedule is null");
        return query("read the sweeps of " + schedule, c -> {
            Map<String, StoredSweep> heads = new LinkedHashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT id, check_name, at_ms, duration_ms FROM sweeps "
                    + "WHERE schedule = ? ORDER BY at_ms DESC, id DESC LIMIT ?")) {
                s.setString(1, schedule);
                s.setInt(2, bounded(limit));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        heads.put(rs.getString(1), new StoredSweep(rs.getString(1), schedule, rs.getString(2),
                                Instant.ofEpochMilli(rs.getLong(3)), rs.getLong(4), List.of()));
                    }
                }
            }
            if (heads.isEmpty()) {
                return List.of();
            }
            Map<String, List<StoredSweep.SweptHost>> lines = new LinkedHashMap<>();
            heads.keySet().forEach(id -> lines.put(id, new ArrayList<>()));
            String marks = String.join(", ", java.util.Collections.nCopies(heads.size(), "?"));
            try (PreparedStatement s = c.prepareStatement("SELECT sweep_id, host, verdict, cause_id, gateway_errors "
                    + "FROM sweep_hosts WHERE sweep_id IN (" + marks + ") ORDER BY sweep_id, position")) {
                int i = 1;
                for (String id : heads.keySet()) {
                    s.setString(i++, id);
                }
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        lines.get(rs.getString(1)).add(new StoredSweep.SweptHost(rs.getString(2),
                                verdict(rs.getString(3)), rs.getString(4), rs.getInt(5)));
                    }
                }
            }
            List<StoredSweep> out = new ArrayList<>();
            heads.forEach((id, h) -> out.add(new StoredSweep(id, h.schedule(), h.check(), h.at(), h.durationMs(),
                    lines.get(id))));
            return out;
        });
    }

    @Override
    public int prune(Instant before) {
        requireNonNull(before, "before is null");
        long ms = before.toEpochMilli();
        return update("remove what is older than " + before, c -> {
            int n = 0;
            n += delete(c, "DELETE FROM sweep_hosts WHERE sweep_id IN (SELECT id FROM sweeps WHERE at_ms < ?)", ms);
            n += delete(c, "DELETE FROM sweeps WHERE at_ms < ?", ms);
            n += delete(c, "DELETE FROM answers WHERE at_ms < ?", ms);
            n += delete(c, "DELETE FROM reports WHERE at_ms < ?", ms);
            return n;
        });
    }

    private static int delete(Connection c, String sql, long ms) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, ms);
            return s.executeUpdate();
        }
    }

    private static final String REPORT_COLUMNS = "SELECT id, check_name, host, at_ms, verdict, cause_id, requester, "
            + "channel, json FROM reports";

    private List<StoredReport> reports(PreparedStatement s) throws SQLException {
        List<StoredReport> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.add(new StoredReport(rs.getString(1), rs.getString(2), rs.getString(3),
                        Instant.ofEpochMilli(rs.getLong(4)), verdict(rs.getString(5)), rs.getString(6),
                        rs.getString(7), rs.getString(8), rs.getString(9)));
            }
        }
        return out;
    }

    private Verdict verdict(String name) throws SQLException {
        try {
            return Verdict.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new SQLException("a row holds the unknown verdict " + name);
        }
    }

    private static int bounded(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        return Math.min(limit, MAX_ROWS);
    }

    private static final String CHECK = "check that the store is reachable and writable";

    private <T> T query(String what, Connections.Work<T> work) {
        return connections.run(where, what, CHECK, work);
    }

    private <T> T update(String what, Connections.Work<T> work) {
        try (Connection c = connections.open()) {
            c.setAutoCommit(false);
            try {
                T out = work.run(c);
                c.commit();
                return out;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw Connections.failure(where, what, CHECK, e);
        }
    }
}
