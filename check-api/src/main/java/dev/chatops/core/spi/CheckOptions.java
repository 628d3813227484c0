package dev.chatops.core.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How a check should look: the time window of logs that counts as "now", and the check's own
 * settings from {@code checks: <check>:} in the configuration (each declared setting, at its
 * default unless configured).
 */
public record CheckOptions(Duration window, Settings settings) {

    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(15);

    public CheckOptions {
        requireNonNull(window, "window is null");
        requireNonNull(settings, "settings is null");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive");
        }
    }

    /** Options with no settings. */
    public CheckOptions(Duration window) {
        this(window, Settings.none());
    }

    public static CheckOptions defaults() {
        return new CheckOptions(DEFAULT_WINDOW);
    }

    /** A copy with these settings in place of the current ones. */
    public CheckOptions withSettings(Settings newSettings) {
        return new CheckOptions(window, newSettings);
    }
}
