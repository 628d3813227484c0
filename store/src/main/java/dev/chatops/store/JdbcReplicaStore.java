package dev.chatops.store;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.replica.ReplicaStore;
import dev.chatops.core.replica.SharedRun;
import dev.chatops.core.spi.Verdict;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Leases and shared runs in the store's {@code leases} and {@code shared_runs} tables. Taking a
 * lease is one upsert whose condition (free, expired, or already ours, and not finished) the
 * database decides, so two replicas racing for it cannot both win. Lease times come from the
 * replicas' clocks, which must agree to well within a lease (NTP does).
 */
public final class JdbcReplicaStore implements ReplicaStore {

    private final String where;
    private final Connections connections;

    JdbcReplicaStore(String where, Connections connections) {
        this.where = requireNonNull(where, "where is null");
        this.connections = requireNonNull(connections, "connections is null");
    }

    /** Names the store, for logs and errors. */
    public String where() {
        return where;
    }

    @Override
    public boolean take(String name, String holder, Instant until, Instant now) {
        return work("take the lease " + name, c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO leases (name, holder, until_ms, done) "
                    + "VALUES (?, ?, ?, 0) ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "
                    + "until_ms = excluded.until_ms WHERE leases.done = 0 "
                    + "AND (leases.until_ms < ? OR leases.holder = excluded.holder)")) {
                s.setString(1, name);
                s.setString(2, holder);
                s.setLong(3, until.toEpochMilli());
                s.setLong(4, now.toEpochMilli());
                return s.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean renew(String name, String holder, Instant until) {
        return work("renew the lease " + name, c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE leases SET until_ms = ? WHERE name = ? AND holder = ? AND done = 0")) {
                s.setLong(1, until.toEpochMilli());
                s.setString(2, name);
                s.setString(3, holder);
                return s.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void finish(String name, String holder) {
        work("finish the lease " + name, c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE leases SET done = 1 WHERE name = ? AND holder = ?")) {
                s.setString(1, name);
                s.setString(2, holder);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public void release(String name, String holder) {
        work("give up the lease " + name, c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "UPDATE leases SET until_ms = 0 WHERE name = ? AND holder = ? AND done = 0")) {
                s.setString(1, name);
                s.setString(2, holder);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public boolean finished(String name) {
        return work("read the lease " + name, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT done FROM leases WHERE name = ?")) {
                s.setString(1, name);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() && rs.getInt(1) == 1;
                }
            }
        });
    }

    @Override
    public Optional<SharedRun> latestRun(String check, String host) {
        return work("read the run of " + check + " on " + host, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT at_ms, saved_ms, verdict, summary, duration_ms, "
                    + "fingerprint, evidence FROM shared_runs WHERE check_name = ? AND host = ?")) {
                s.setString(1, check);
                s.setString(2, host);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    Verdict verdict;
                    try {
                        verdict = Verdict.valueOf(rs.getString(3));
                    } catch (IllegalArgumentException e) {
                        throw new SQLException("a shared run holds the unknown verdict " + rs.getString(3));
                    }
                    String fingerprint = rs.getString(6);
                    return Optional.of(new SharedRun(check, host, Instant.ofEpochMilli(rs.getLong(1)),
                            Instant.ofEpochMilli(rs.getLong(2)), verdict, Optional.ofNullable(rs.getString(7)),
                            rs.getString(4), rs.getLong(5),
                            fingerprint.isEmpty() ? Optional.empty() : Optional.of(fingerprint)));
                }
            }
        });
    }

    @Override
    public void saveRun(SharedRun run) {
        requireNonNull(run, "run is null");
        work("keep the run of " + run.check() + " on " + run.host(), c -> {
            // an older run that ends late must not replace a newer one
            try (PreparedStatement s = c.prepareStatement("INSERT INTO shared_runs (check_name, host, at_ms, saved_ms, "
                    + "verdict, summary, duration_ms, fingerprint, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (check_name, host) DO UPDATE SET at_ms = excluded.at_ms, "
                    + "saved_ms = excluded.saved_ms, verdict = excluded.verdict, summary = excluded.summary, "
                    + "duration_ms = excluded.duration_ms, fingerprint = excluded.fingerprint, "
                    + "evidence = excluded.evidence WHERE shared_runs.at_ms <= excluded.at_ms")) {
                s.setString(1, run.check());
                s.setString(2, run.host());
                s.setLong(3, run.at().toEpochMilli());
                s.setLong(4, run.savedAt().toEpochMilli());
                s.setString(5, run.verdict().name());
                s.setString(6, run.summary());
                s.setLong(7, run.durationMs());
                s.setString(8, run.hostKeyFingerprint().orElse(""));
                s.setString(9, run.evidenceJson().orElse(null));
                return s.executeUpdate();
            }
        });
    }

    @Override
    public int prune(Instant before) {
        long ms = requireNonNull(before, "before is null").toEpochMilli();
        return work("remove old leases and runs", c -> {
            int n;
            try (PreparedStatement s = c.prepareStatement("DELETE FROM leases WHERE until_ms < ?")) {
                s.setLong(1, ms);
                n = s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM shared_runs WHERE saved_ms < ?")) {
                s.setLong(1, ms);
                n += s.executeUpdate();
            }
            return n;
        });
    }

    private <T> T work(String what, Connections.Work<T> work) {
        return connections.run(where, what, "check that the store is reachable", work);
    }
}
