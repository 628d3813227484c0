package dev.chatops.adapters.slack;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The redacted evidence of the reports posted lately, for their "Evidence file" button: in memory
 * only, compressed, at most {@code maxReports} of them and {@code maxBytes} in all, the oldest
 * dropped first. A bot that restarts has none; the button then says the evidence is gone.
 */
final class KeptEvidence {

    /** What is known of a report's evidence. */
    sealed interface Lookup {
        /** The evidence JSON, as {@code replay} reads it. */
        record Kept(String json, Instant collectedAt) implements Lookup {
        }

        /** The report had none: its host could not be reached. */
        record None() implements Lookup {
        }

        /** It was dropped to make room, was too large to keep, or the bot restarted since. */
        record Gone() implements Lookup {
        }
    }

    private record Entry(Instant collectedAt, Optional<byte[]> gzip) {
    }

    private final int maxReports;
    private final long maxBytes;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
    private long bytes;

    KeptEvidence(int maxReports, long maxBytes) {
        if (maxReports < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("maxReports and maxBytes must be at least 1");
        }
        this.maxReports = maxReports;
        this.maxBytes = maxBytes;
    }

    int maxReports() {
        return maxReports;
    }

    /** Keeps a report's evidence JSON (empty when it had none), dropping the oldest to stay within bounds. */
    void keep(String reportId, Instant collectedAt, Optional<String> json) {
        requireNonNull(reportId, "reportId is null");
        requireNonNull(collectedAt, "collectedAt is null");
        Optional<byte[]> gzip = json.map(KeptEvidence::gzip);
        synchronized (this) {
            if (gzip.isPresent() && gzip.get().length > maxBytes) {
                // too large to keep at all: remembered as gone, so the button says so instead of "no evidence"
                return;
            }
            Entry old = entries.remove(reportId);
            if (old != null) {
                bytes -= size(old);
            }
            entries.put(reportId, new Entry(collectedAt, gzip));
            bytes += gzip.map(g -> (long) g.length).orElse(0L);
            Iterator<Map.Entry<String, Entry>> oldest = entries.entrySet().iterator();
            while ((entries.size() > maxReports || bytes > maxBytes) && oldest.hasNext()) {
                bytes -= size(oldest.next().getValue());
                oldest.remove();
            }
        }
    }

    synchronized Lookup find(String reportId) {
        Entry e = entries.get(reportId);
        if (e == null) {
            return new Lookup.Gone();
        }
        return e.gzip().<Lookup>map(g -> new Lookup.Kept(gunzip(g), e.collectedAt())).orElse(new Lookup.None());
    }

    /** When the report was collected, while it is kept. */
    synchronized Optional<Instant> collectedAt(String reportId) {
        return Optional.ofNullable(entries.get(reportId)).map(Entry::collectedAt);
    }

    synchronized long bytes() {
        return bytes;
    }

    private static long size(Entry e) {
        return e.gzip().map(g -> (long) g.length).orElse(0L);
    }

    private static byte[] gzip(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String gunzip(byte[] gzip) {
        try (GZIPInputStream z = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            return new String(z.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
