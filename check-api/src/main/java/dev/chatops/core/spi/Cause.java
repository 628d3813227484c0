package dev.chatops.core.spi;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * One identified cause. Build one with {@link #of(String, String)}:
 *
 * <pre>{@code
 * Cause.of("disk-full", "A filesystem is full")
 *         .confidence(0.9)
 *         .detail("/var is 97% full")
 *         .evidence("df -P", line)
 *         .fix(Fix.command("du -xh /var | sort -h | tail"))
 *         .build();
 * }</pre>
 *
 * @param id         a stable identifier from the check's catalogue, e.g. {@code upstream-down}
 * @param title      a short human title, e.g. "Upstream is not running"
 * @param confidence 0..1; causes are ranked by it
 * @param detail     one or two sentences that say what is wrong on this host, with names
 * @param evidence   the few lines it rests on, most telling first
 * @param fixes      what to do, most direct first
 */
public record Cause(String id, String title, double confidence, String detail,
                    List<EvidenceLine> evidence, List<Fix> fixes) {

    public Cause {
        requireNonNull(id, "id is null");
        requireNonNull(title, "title is null");
        requireNonNull(detail, "detail is null");
        checkConfidence(confidence);
        evidence = List.copyOf(requireNonNull(evidence, "evidence is null"));
        fixes = List.copyOf(requireNonNull(fixes, "fixes is null"));
    }

    /**
     * Starts a cause with its catalogue id and title. {@link Builder#confidence} must be given
     * before {@link Builder#build}; the detail defaults to empty, evidence and fixes to none.
     */
    public static Builder of(String id, String title) {
        return new Builder(id, title);
    }

    private static void checkConfidence(double confidence) {
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence must be between 0 and 1, not " + confidence);
        }
    }

    /** Collects a cause's parts in the order they are easiest to write; not for sharing between threads. */
    public static final class Builder {
        private final String id;
        private final String title;
        private double confidence = Double.NaN;
        private String detail = "";
        private final List<EvidenceLine> evidence = new ArrayList<>();
        private final List<Fix> fixes = new ArrayList<>();

        private Builder(String id, String title) {
            this.id = requireNonNull(id, "id is null");
            this.title = requireNonNull(title, "title is null");
        }

        /** How likely this cause is, 0..1; causes are ranked by it. Required. */
        public Builder confidence(double value) {
            checkConfidence(value);
            this.confidence = value;
            return this;
        }

        /** One or two sentences saying what is wrong on this host, with names. */
        public Builder detail(String text) {
            this.detail = requireNonNull(text, "detail is null");
            return this;
        }

        /** A line the cause rests on, seen once; add the most telling first. */
        public Builder evidence(String source, String text) {
            return evidence(EvidenceLine.once(source, text));
        }

        /** A line the cause rests on, seen {@code count} times. */
        public Builder evidence(String source, String text, int count) {
            return evidence(new EvidenceLine(source, text, count));
        }

        public Builder evidence(EvidenceLine line) {
            evidence.add(requireNonNull(line, "evidence line is null"));
            return this;
        }

        /** A remedy; add the most direct first. */
        public Builder fix(Fix fix) {
            fixes.add(requireNonNull(fix, "fix is null"));
            return this;
        }

        /**
         * @throws IllegalStateException when no confidence was given
         */
        public Cause build() {
            if (Double.isNaN(confidence)) {
                throw new IllegalStateException("cause " + id + " has no confidence: call confidence(0..1) before build()");
            }
            return new Cause(id, title, confidence, detail, evidence, fixes);
        }
    }
}
