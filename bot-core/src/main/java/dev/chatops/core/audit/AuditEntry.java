package dev.chatops.core.audit;

import static java.util.Objects.requireNonNull;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.chatops.core.redact.Redactor;
import dev.chatops.core.spi.Verdict;
import java.time.Instant;
import java.util.Optional;

/**
 * One request as the audit log records it.
 *
 * @param time               when the request arrived
 * @param via                {@code slack}, {@code cli} or {@code schedule}
 * @param user               the Slack user id, the local user name, or the schedule's name
 * @param channel            the Slack channel id (for a schedule, where it posts); empty for the command line
 * @param check              the check asked for, as given
 * @param host               the host asked for, as given
 * @param decision           allowed or denied
 * @param reason             for a denial, the refusal sentence the requester saw; for a run that
 *                           failed, what went wrong; for pasted log lines explained (no host), says so;
 *                           empty otherwise
 * @param cache              how the cache answered; {@link CacheUse#NONE} for a denial
 * @param durationMs         from arrival to answer, waiting in line included
 * @param verdict            the report's verdict; empty for a denial
 * @param hostKeyFingerprint the host key the transport verified for the run; empty when none was
 */
public record AuditEntry(Instant time, String via, String user, String channel, String check, String host,
                         Decision decision, String reason, CacheUse cache, long durationMs,
                         Optional<Verdict> verdict, Optional<String> hostKeyFingerprint) {

    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();
    private static final int MAX_FIELD = 300;

    public enum Decision {
        ALLOWED("allowed"), DENIED("denied");

        private final String id;

        Decision(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /** How the cache took part in answering. */
    public enum CacheUse {
        /** A kept result was served; no host was contacted. */
        HIT("hit"),
        /** The request shared a run already in flight for the same check and host. */
        JOINED("joined"),
        /** Nothing usable was kept; this request ran the check. */
        MISS("miss"),
        /** The request asked for a fresh result and ran the check. */
        FRESH("fresh"),
        /** No run was considered (the request was denied). */
        NONE("none");

        private final String id;

        CacheUse(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    public AuditEntry {
        requireNonNull(time, "time is null");
        requireNonNull(via, "via is null");
        requireNonNull(user, "user is null");
        requireNonNull(channel, "channel is null");
        requireNonNull(check, "check is null");
        requireNonNull(host, "host is null");
        requireNonNull(decision, "decision is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(cache, "cache is null");
        requireNonNull(verdict, "verdict is null");
        requireNonNull(hostKeyFingerprint, "hostKeyFingerprint is null");
    }

    /**
     * The entry as one line of JSON, always with the same keys:
     * {@code time, via, user, channel, check, host, decision, reason, cache, cacheHit, durationMs,
     * verdict, hostKeyFingerprint} (absent values are {@code null}). Every text is passed through the
     * {@link Redactor}, stripped of control characters and only then cut to a few hundred characters,
     * since check and host names of denied requests are whatever someone typed.
     */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("time", time.toString());
        o.addProperty("via", clean(via));
        o.addProperty("user", clean(user));
        o.addProperty("channel", clean(channel));
        o.addProperty("check", clean(check));
        o.addProperty("host", clean(host));
        o.addProperty("decision", decision.id());
        o.addProperty("reason", clean(reason));
        o.addProperty("cache", cache.id());
        o.addProperty("cacheHit", cache == CacheUse.HIT);
        o.addProperty("durationMs", durationMs);
        o.addProperty("verdict", verdict.map(Verdict::id).orElse(null));
        o.addProperty("hostKeyFingerprint", hostKeyFingerprint.map(AuditEntry::clean).orElse(null));
        return GSON.toJson(o);
    }

    /** Redacted before it is cut, so a secret split by the cut cannot slip through in halves. */
    static String clean(String s) {
        String oneLine = Redactor.redact(s).replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() > MAX_FIELD ? oneLine.substring(0, MAX_FIELD) + "…" : oneLine;
    }
}
