package dev.chatops.config;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A token, password or passphrase read from the environment. It never prints itself; when the
 * variable was not set it remembers where it was asked for, so the component that needs it can
 * fail with the key path and line.
 */
public final class Secret {

    private final String value;
    private final String missingMessage;

    private Secret(String value, String missingMessage) {
        this.value = value;
        this.missingMessage = missingMessage;
    }

    static Secret of(String value) {
        return new Secret(requireNonNull(value, "value is null"), null);
    }

    static Secret missing(String message) {
        return new Secret(null, requireNonNull(message, "message is null"));
    }

    public static Secret none(String what) {
        return missing(what + " is not configured");
    }

    public boolean isPresent() {
        return value != null;
    }

    public Optional<String> value() {
        return Optional.ofNullable(value);
    }

    /** The value, or a {@link ConfigException} saying which key and variable to set. */
    public String require() {
        if (value == null) {
            throw new ConfigException(missingMessage);
        }
        return value;
    }

    @Override
    public String toString() {
        return value == null ? "Secret[unset]" : "Secret[***]";
    }
}
