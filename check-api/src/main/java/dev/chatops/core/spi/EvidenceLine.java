package dev.chatops.core.spi;

import static java.util.Objects.requireNonNull;

/**
 * A line (or fact) a cause rests on, with where it came from and how often it was seen.
 *
 * @param source a file path or probe name, e.g. {@code /var/log/nginx/error.log} or {@code ss -ltnp}
 */
public record EvidenceLine(String source, String text, int count) {

    public EvidenceLine {
        requireNonNull(source, "source is null");
        requireNonNull(text, "text is null");
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1");
        }
    }

    public static EvidenceLine once(String source, String text) {
        return new EvidenceLine(source, text, 1);
    }
}
