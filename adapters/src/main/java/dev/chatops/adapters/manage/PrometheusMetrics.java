package dev.chatops.adapters.manage;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.audit.AuditEntry.CacheUse;
import dev.chatops.core.host.Host;
import dev.chatops.core.limit.HostRunQueue;
import dev.chatops.core.metrics.Metrics;
import dev.chatops.core.spi.Verdict;
import dev.chatops.core.transport.TransportException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;

/**
 * The bot's {@link Metrics} in a Micrometer registry, written out in the Prometheus text format
 * for {@code GET /metrics}. Names and labels are listed in docs/operations.md; a label never takes
 * a value from a host, and the one that comes from Slack (its error code) is cut to a short
 * identifier, so no one can grow the series without bound.
 */
public final class PrometheusMetrics implements Metrics, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PrometheusMetrics.class.getName());

    /** Diagnosis times worth telling apart: a healthy host answers in about a second, a dead one at its timeouts. */
    private static final Duration[] DIAGNOSIS_BUCKETS = {
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30),
        Duration.ofSeconds(60), Duration.ofSeconds(120)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public PrometheusMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    @Override
    public void checkRun(String check, Verdict verdict, Duration took) {
        guarded(() -> {
            Timer.builder("chatops.diagnosis.duration")
                    .description("from opening the session to the diagnosis, per run")
                    .tag("check", check)
                    .serviceLevelObjectives(DIAGNOSIS_BUCKETS)
                    .register(registry)
                    .record(took.isNegative() ? Duration.ZERO : took);
            // counted after the time, so whoever sees the run counted also sees its time
            Counter.builder("chatops.checks").description("checks run on a host (not served from the cache)")
                    .tag("check", check).tag("verdict", verdict.id()).register(registry).increment();
        });
    }

    @Override
    public void cacheLookup(String check, CacheUse use) {
        guarded(() -> Counter.builder("chatops.cache.requests")
                .description("requests answered, by how the cache took part: hit, joined (shared a run in flight), "
                        + "miss or fresh (ran)")
                .tag("check", check).tag("result", use.id()).register(registry).increment());
    }

    @Override
    public void transportFailure(Host.TransportKind kind, TransportException.Reason reason) {
        String name = kind == Host.TransportKind.SSH ? "chatops.ssh.failures" : "chatops.local.failures";
        guarded(() -> Counter.builder(name)
                .description("runs that could not reach their host or lost it, by reason")
                .tag("reason", reason.name().toLowerCase(Locale.ROOT)).register(registry).increment());
    }

    /** A Slack Web API call that failed for good (after its retries), by method and Slack's error code. */
    public void slackApiError(String method, String error) {
        guarded(() -> Counter.builder("chatops.slack.api.errors")
                .description("Slack Web API calls that failed after their retries")
                .tag("method", label(method)).tag("error", label(error)).register(registry).increment());
    }

    /** Publishes how many runs wait for a slot and how many run, read when scraped. */
    public void watch(HostRunQueue queue) {
        requireNonNull(queue, "queue is null");
        Gauge.builder("chatops.queue.waiting", queue, HostRunQueue::waiting)
                .description("requests waiting for a slot to run").register(registry);
        Gauge.builder("chatops.queue.running", queue, HostRunQueue::running)
                .description("runs in flight").register(registry);
    }

    /** Everything in the Prometheus text format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        registry.close();
    }

    /**
     * Slack's methods and codes are short words ({@code chat.postMessage}, {@code not_in_channel});
     * anything else is cut to that shape.
     */
    static String label(String value) {
        String s = value.replaceAll("[^A-Za-z0-9_.]", "_");
        return s.isEmpty() ? "unknown" : s.length() > 40 ? s.substring(0, 40) : s;
    }

    private static void guarded(Runnable count) {
        try {
            count.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a metric could not be recorded", e);
        }
    }
}
