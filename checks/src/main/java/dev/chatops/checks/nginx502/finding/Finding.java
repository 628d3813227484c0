package dev.chatops.checks.nginx502.rules;

import static java.util.Objects.requireNonNull;

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

    static Builder of(String id, double confidence) {
        return new Builder(id, confidence);
    }

    /** Collects a cause's parts; evidence is capped at a few lines, most telling first. */
    static final class Builder {
        private static final int MAX_EVIDENCE = 5;
        private final String id;
        private final double confidence;
        private String detail = "";
        private String headline = "";
        private final List<EvidenceLine> evidence = new ArrayList<>();
        private final List<Fix> fixes = new ArrayList<>();

        Builder(String id, double confidence) {
            this.id = id;
            this.confidence = Math.max(0, Math.min(1, confidence));
        }

        Builder detail(String text) {
            this.detail = Redactor.redact(text);
            return this;
        }

        Builder headline(String text) {
            this.headline = Redactor.redact(text);
            return this;
        }

        /** A quoted line: log lines and config lines may hold tokens and passwords, so it is redacted here. */
        Builder evidence(String source, String text, int count) {
            String quoted = Redactor.redact(text);
            if (evidence.size() < MAX_EVIDENCE && count > 0
                    && evidence.stream().noneMatch(e -> e.text().equals(quoted))) {
                evidence.add(new EvidenceLine(source, quoted, count));
            }
            return this;
        }

        Builder evidence(Failure f) {
            return evidence(f.source(), f.last().raw(), f.count());
        }

        Builder fix(Fix f) {
            Fix clean = new Fix(f.kind(), Redactor.redact(f.text()), f.at());
            if (fixes.stream().noneMatch(x -> x.text().equals(clean.text()))) {
                fixes.add(clean);
            }
            return this;
        }

        Finding build() {
            return new Finding(new Cause(id, Catalogue.title(id), confidence, detail, evidence, fixes),
                    headline.isEmpty() ? Catalogue.title(id) : headline);
        }
    }
}
