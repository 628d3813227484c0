package dev.chatops.core.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One identified cause.
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
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence must be between 0 and 1");
        }
        evidence = List.copyOf(requireNonNull(evidence, "evidence is null"));
        fixes = List.copyOf(requireNonNull(fixes, "fixes is null"));
    }
}
