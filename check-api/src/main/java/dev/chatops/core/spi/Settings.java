package dev.chatops.core.spi;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of a check's settings for one run: every {@link Setting} the check declares, with the
 * configured value or its default. Read-only; values are {@link Integer}, {@link Double},
 * {@link Boolean} or {@link String}. The typed getters take a fallback for a name that is not
 * there (evidence saved before a setting existed, a test building options by hand).
 */
public record Settings(Map<String, Object> values) {

    private static final Settings NONE = new Settings(Map.of());

    public Settings {
        requireNonNull(values, "values is null");
        Map<String, Object> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            requireNonNull(k, "setting name is null");
            requireNonNull(v, "setting " + k + " is null");
            if (!(v instanceof Integer || v instanceof Double || v instanceof Boolean || v instanceof String)) {
                throw new IllegalArgumentException("setting " + k + " must be an Integer, Double, Boolean or String, not "
                        + v.getClass().getName());
            }
            copy.put(k, v);
        });
        values = Collections.unmodifiableMap(copy);
    }

    public static Settings none() {
        return NONE;
    }

    /** The declared settings at their defaults, with {@code configured} values in their place. */
    public static Settings of(List<Setting> declared, Map<String, Object> configured) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Setting s : declared) {
            out.put(s.name(), s.defaultValue());
        }
        out.putAll(configured);
        return new Settings(out);
    }

    /** @throws IllegalArgumentException when the setting holds something other than a whole number */
    public int wholeNumber(String name, int fallback) {
        return get(name, Integer.class, fallback);
    }

    /** A number setting; a whole number is accepted too. */
    public double decimal(String name, double fallback) {
        Object v = values.get(name);
        if (v instanceof Integer i) {
            return i;
        }
        return get(name, Double.class, fallback);
    }

    public boolean bool(String name, boolean fallback) {
        return get(name, Boolean.class, fallback);
    }

    public String text(String name, String fallback) {
        return get(name, String.class, fallback);
    }

    private <T> T get(String name, Class<T> type, T fallback) {
        Object v = values.get(requireNonNull(name, "name is null"));
        if (v == null) {
            return fallback;
        }
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException("setting " + name + " holds " + v.getClass().getSimpleName() + " " + v
                    + ", not " + type.getSimpleName());
        }
        return type.cast(v);
    }
}
