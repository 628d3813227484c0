package dev.chatops.core.metrics;

import dev.chatops.core.audit.AuditEntry.CacheUse;
import dev.chatops.core.host.Host;
import dev.chatops.core.spi.Verdict;
import dev.chatops.core.transport.TransportException;
import java.time.Duration;

/**
 * What the bot counts as it works, for whoever watches it. The core calls these; an adapter backs
 * them with a metrics library, so the core depends on none. Implementations must be cheap, safe to
 * call from any thread, and must not throw.
 */
public interface Metrics {

    /** Counts nothing: for the command line and for tests that do not look. */
    Metrics NONE = new Metrics() {
    };

    /** A check ran on a host (not served from the cache), giving {@code verdict} after {@code took}. */
    default void checkRun(String check, Verdict verdict, Duration took) {
    }

    /** A request was answered; {@code use} says how the cache took part. */
    default void cacheLookup(String check, CacheUse use) {
    }

    /** A transport could not reach a host, or lost it during a run. */
    default void transportFailure(Host.TransportKind kind, TransportException.Reason reason) {
    }
}
