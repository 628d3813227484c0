package dev.chatops.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the bot keeps its history (the {@code state:} section): an embedded SQLite file in {@code dir}
 * by default, or a shared PostgreSQL server when {@code url} is set.
 *
 * @param dir      the folder of the embedded store; unused when {@code url} is set
 * @param url      {@code jdbc:postgresql://host:port/database}, without credentials
 * @param user     the PostgreSQL user, from the environment
 * @param password the PostgreSQL password, from the environment
 * @param keep     how long reports, sweeps and answers are kept
 */
public record StateSettings(Path dir, Optional<String> url, Optional<Secret> user, Optional<Secret> password,
                            Duration keep) {

    public static final Duration DEFAULT_KEEP = Duration.ofDays(30);
    public static final String DEFAULT_DIR = "state";

    public StateSettings {
        requireNonNull(dir, "dir is null");
        requireNonNull(url, "url is null");
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
        requireNonNull(keep, "keep is null");
        if (keep.isNegative() || keep.isZero()) {
            throw new IllegalArgumentException("keep must be longer than zero, not " + keep);
        }
    }

    /** The embedded store in {@code dir}, kept {@link #DEFAULT_KEEP}. */
    public static StateSettings embedded(Path dir) {
        return new StateSettings(dir, Optional.empty(), Optional.empty(), Optional.empty(), DEFAULT_KEEP);
    }

    /** Whether the store is the shared PostgreSQL one. */
    public boolean shared() {
        return url.isPresent();
    }
}
