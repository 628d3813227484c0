package dev.chatops.checks.nginx502.explain;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.spi.Fix;
import java.util.List;

/**
 * What one pasted line says about one cause of the catalogue.
 *
 * @param id         the cause id, as the full check reports it
 * @param confidence how far the line alone supports it, 0..1
 * @param detail     one or two sentences, with the names the line gave
 * @param fixes      the fix in general form, most direct first
 * @param confirm    commands that show on the host whether the cause holds, each with a {@code # what to look for}
 */
record Signal(String id, double confidence, String detail, List<Fix> fixes, List<String> confirm) {

    Signal {
        requireNonNull(id, "id is null");
        requireNonNull(detail, "detail is null");
        fixes = List.copyOf(requireNonNull(fixes, "fixes is null"));
        confirm = List.copyOf(requireNonNull(confirm, "confirm is null"));
    }
}
