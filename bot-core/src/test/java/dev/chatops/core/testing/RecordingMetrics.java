package dev.chatops.core.testing;

import dev.chatops.core.audit.AuditEntry.CacheUse;
import dev.chatops.core.host.Host;
import dev.chatops.core.metrics.Metrics;
import dev.chatops.core.spi.Verdict;
import dev.chatops.core.transport.TransportException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every count it is given, as text such as {@code run status healthy} or {@code cache status hit}. */
public final class RecordingMetrics implements Metrics {

    private final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void checkRun(String check, Verdict verdict, Duration took) {
        events.add("run " + check + " " + verdict.id());
    }

    @Override
    public void cacheLookup(String check, CacheUse use) {
        events.add("cache " + check + " " + use.id());
    }

    @Override
    public void transportFailure(Host.TransportKind kind, TransportException.Reason reason) {
        events.add("transport " + kind + " " + reason);
    }

    public List<String> events() {
        return List.copyOf(events);
    }

    public long count(String event) {
        return events.stream().filter(event::equals).count();
    }
}
