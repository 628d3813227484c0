package dev.chatops.adapters.slack;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * Remembers the signed requests seen while their signature is still accepted, so that a copy of
 * one (replayed by someone who captured it, or sent twice by a proxy) starts nothing a second
 * time. A request is known by its timestamp and signature, which together stand for its body;
 * each is forgotten once its timestamp leaves {@link SlackSignature#WINDOW}. At most
 * {@code capacity} are kept; only Slack can sign, so that bound is reached only by a very busy
 * workspace, where the oldest are forgotten first.
 */
final class ReplayGuard {

    private final Clock clock;
    private final Cache<Key, Long> seen;

    private record Key(long timestamp, String signature) {
    }

    ReplayGuard(Clock clock, int capacity) {
        this.clock = requireNonNull(clock, "clock is null");
        this.seen = Caffeine.newBuilder()
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(Runnable::run)
                .maximumSize(capacity)
                .expireAfter(new UntilOutOfWindow())
                .build();
    }

    /** True the first time this signed request is seen within its window, false for every copy. */
    boolean firstTime(long timestamp, String signature) {
        return seen.asMap().putIfAbsent(new Key(timestamp, requireNonNull(signature, "signature is null")),
                timestamp) == null;
    }

    /** Requests remembered now. */
    long size() {
        seen.cleanUp();
        return seen.estimatedSize();
    }

    private final class UntilOutOfWindow implements Expiry<Key, Long> {
        @Override
        public long expireAfterCreate(Key key, Long timestamp, long currentTime) {
            long until = TimeUnit.SECONDS.toMillis(timestamp) + SlackSignature.WINDOW.toMillis();
            return TimeUnit.MILLISECONDS.toNanos(Math.max(0, until - clock.millis()));
        }

        @Override
        public long expireAfterUpdate(Key key, Long timestamp, long currentTime, long currentDuration) {
            return currentDuration;
        }

        @Override
        public long expireAfterRead(Key key, Long timestamp, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
