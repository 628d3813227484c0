package dev.chatops.core.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How a check should look: the time window of logs that counts as "now".
 */
public record CheckOptions(Duration window) {

    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);

    public CheckOptions {
        requireNonNull(window, "window is null");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive");
        }
    }

    public static CheckOptions defaults() {
        return new CheckOptions(DEFAULT_WINDOW);
    }
}
