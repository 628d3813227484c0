package dev.chatops.adapters.app;

import static java.util.Objects.requireNonNull;

import dev.chatops.config.BotConfig;
import dev.chatops.config.Secret;
import dev.chatops.core.replica.LeasedSweepSlots;
import dev.chatops.core.replica.Leases;
import dev.chatops.core.replica.ReplicaStore;
import dev.chatops.core.replica.RunSharing;
import dev.chatops.core.replica.StoredRunSharing;
import dev.chatops.core.replica.SweepSlots;
import dev.chatops.store.SqlStores;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * How this bot process works beside its other replicas. With the shared PostgreSQL store, sweeps
 * and runs go through leases in it ({@link LeasedSweepSlots}, {@link StoredRunSharing}). Without
 * one the process is alone: it runs schedules only if it is the only process on its state folder
 * (a lock file there says so) and {@code replicas.count} does not announce others, because
 * replicas that cannot agree would each post every sweep.
 */
final class Replication implements AutoCloseable {

    /** The lock file in {@code state.dir} held by the process that runs the schedules. */
    static final String SCHEDULES_LOCK = "schedules.lock";

    /** How long after its due time a sweep may still be taken over from a replica that died. */
    static final Duration FOLLOW_SLOT = Duration.ofHours(1);

    /** How long a replica waits for another's run of the same check on the same host before running too. */
    static final Duration MAX_WAIT_FOR_RUN = Duration.ofMinutes(2);

    private final BotConfig config;
    private final Optional<Leases> leases;
    private final Object lock = new Object();
    private Optional<FileChannel> lockFile = Optional.empty();

    private Replication(BotConfig config, Optional<Leases> leases) {
        this.config = config;
        this.leases = leases;
    }

    /** Replication as configured: through the shared store when {@code state.url} is set. */
    static Replication of(BotConfig config, Clock clock) {
        requireNonNull(config, "config is null");
        requireNonNull(clock, "clock is null");
        if (!config.state().shared()) {
            return alone(config);
        }
        ReplicaStore store = new OpenReplicaStoreOnFirstUse(() -> SqlStores.postgresReplicas(config.state().url().get(),
                config.state().user().map(Secret::require), config.state().password().map(Secret::require)));
        return new Replication(config, Optional.of(new Leases(store, holder(), config.replicas().lease(), clock)));
    }

    /** A process that shares nothing with others. */
    static Replication alone(BotConfig config) {
        return new Replication(requireNonNull(config, "config is null"), Optional.empty());
    }

    /** Names this process among the replicas: its host, its pid and a random part. */
    private static String holder() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown-host";
        }
        String name = host + "/" + ManagementFactory.getRuntimeMXBean().getPid() + "/"
                + UUID.randomUUID().toString().substring(0, 8);
        return name.length() > 200 ? name.substring(0, 200) : name;
    }

    boolean shared() {
        return leases.isPresent();
    }

    Optional<ReplicaStore> store() {
        return leases.map(Leases::store);
    }

    RunSharing sharing() {
        return leases.<RunSharing>map(l -> new StoredRunSharing(l, config.cacheTtl(), config.unreachableTtl(),
                MAX_WAIT_FOR_RUN)).orElse(RunSharing.LOCAL);
    }

    SweepSlots slots() {
        return leases.<SweepSlots>map(l -> new LeasedSweepSlots(l, FOLLOW_SLOT)).orElse(SweepSlots.LOCAL);
    }

    /**
     * Makes this process one that may run the schedules; empty when it may, else the sentence
     * saying why not and what to do. With the shared store every replica may (the store decides who
     * posts each sweep).
     */
    Optional<String> claimSchedules() {
        if (shared() || config.schedules().isEmpty()) {
            return Optional.empty();
        }
        Path dir = config.state().dir();
        if (config.replicas().count() > 1) {
            return Optional.of("schedules not started: replicas.count is " + config.replicas().count() + " but the "
                    + "history is kept in this process's own store (" + dir + "), so replicas cannot agree which one "
                    + "posts; give every replica the same PostgreSQL store with state.url");
        }
        synchronized (lock) {
            if (lockFile.isPresent()) {
                return Optional.empty();
            }
            Path file = dir.resolve(SCHEDULES_LOCK);
            FileChannel channel = null;
            try {
                if (!Files.isDirectory(dir)) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                }
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = channel.tryLock();
                if (held != null) {
                    lockFile = Optional.of(channel);
                    return Optional.empty();
                }
            } catch (OverlappingFileLockException e) {
                // held by another bot in this same JVM: as busy as a lock held by another process
            } catch (IOException | UnsupportedOperationException e) {
                close(channel);
                return Optional.of("schedules not started: cannot lock " + file + " (" + e.getMessage() + "), which "
                        + "keeps two bots from posting every sweep twice; make state.dir writable by the bot's user");
            }
            close(channel);
            return Optional.of("schedules not started: another bot process already runs the schedules of " + dir
                    + " (it holds " + file + "); run one bot per state.dir, or give every replica the same "
                    + "PostgreSQL store with state.url");
        }
    }

    private static void close(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing held through it
            }
        }
    }

    @Override
    public void close() {
        leases.ifPresent(Leases::close);
        synchronized (lock) {
            lockFile.ifPresent(Replication::close);
            lockFile = Optional.empty();
        }
    }
}
