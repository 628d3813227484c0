package dev.chatops.checks.nginx502.finding;

import static java.util.Objects.requireNonNull;

import dev.chatops.checks.nginx502.incident.Failure;
import dev.chatops.core.redact.Redactor;
import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.EvidenceLine;
import dev.chatops.core.spi.Fix;
import java.util.ArrayList;
import java.util.List;

/**
 * A cause a rule found, with the one-line headline the report leads with when it ranks first, e.g.
 * {@code shop.example.com → upstream shop_app (127.0.0.1:3000) is down: nothing listens there}.
 */
public record Finding(Cause cause, String headline) {

    public Finding {
        requireNonNull(cause, "cause is null");
        requireNonNull(headline, "headline is null");
    }

    public String id() {
        return cause.id();
    }

    public double confidence() {
        return cause.confidence();
    }

    public static Builder of(CauseId id, Confidence confidence) {
        return new Builder(id, confidence);
    }

    /** Collects a cause's parts; evidence is capped at a few lines, most telling first. */
    public static final class Builder {
        private static final int MAX_EVIDENCE = 5;
        private final CauseId id;
        private final Confidence confidence;
        private String detail = "";
        private String headline = "";
        private final List<EvidenceLine> evidence = new ArrayList<>();
        private final List<Fix> fixes = new ArrayList<>();

        private Builder(CauseId id, Confidence confidence) {
            this.id = requireNonNull(id, "id is null");
            this.confidence = requireNonNull(confidence, "confidence is null");
        }

        public Builder detail(String text) {
            this.detail = Redactor.redact(text);
            return this;
        }

        public Builder headline(String text) {
            this.headline = Redactor.redact(text);
            return this;
        }

        /** A quoted line: log lines and config lines may hold tokens and passwords, so it is redacted here. */
        public Builder evidence(String source, String text, int count) {
            String quoted = Redactor.redact(text);
            if (evidence.size() < MAX_EVIDENCE && count > 0
                    && evidence.stream().noneMatch(e -> e.text().equals(quoted))) {
                evidence.add(new EvidenceLine(source, quoted, count));
            }
            return this;
        }

        public Builder evidence(Failure f) {
            return evidence(f.source(), f.last().raw(), f.count());
        }

        public Builder fix(Fix f) {
            Fix clean = new Fix(f.kind(), Redactor.redact(f.text()), f.at());
            if (fixes.stream().noneMatch(x -> x.text().equals(clean.text()))) {
                fixes.add(clean);
            }
            return this;
        }

        public Finding build() {
            return new Finding(new Cause(id.id(), id.title(), confidence.value(), detail, evidence, fixes),
                    headline.isEmpty() ? id.title() : headline);
        }
    }
}
