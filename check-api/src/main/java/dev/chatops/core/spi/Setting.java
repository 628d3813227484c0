package dev.chatops.core.spi;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One setting a check accepts under {@code checks: <check>:} in the configuration, with its type,
 * default and help. Declared by {@link Check#settings()}; the engine refuses at start-up any key a
 * check does not declare and any value {@link #parse} does not accept, naming the key path and line.
 * The values a run uses are in {@link CheckOptions#settings()} and {@link Evidence#settings()}.
 *
 * @param name         the key, e.g. {@code threshold}: a letter, then letters and digits (camelCase)
 * @param type         what kind of value it takes
 * @param defaultValue the value when the configuration gives none: an {@link Integer}, {@link Double},
 *                     {@link Boolean} or {@link String} matching {@code type}
 * @param min          the smallest number accepted (numbers only)
 * @param max          the largest number accepted (numbers only)
 * @param help         one sentence for the {@code checks} command, e.g. "Percent used at which a filesystem counts as full."
 */
public record Setting(String name, Type type, Object defaultValue, double min, double max, String help) {

    private static final Pattern NAME = Pattern.compile("[a-z][A-Za-z0-9]{0,39}");
    /** The longest text value accepted; a setting is a word or a path, not a document. */
    public static final int MAX_TEXT = 200;

    /** The kinds of value a setting takes. */
    public enum Type {
        WHOLE_NUMBER("a whole number"),
        DECIMAL("a number"),
        BOOLEAN("true or false"),
        TEXT("text");

        private final String noun;

        Type(String noun) {
            this.noun = noun;
        }

        /** How a message names the type, e.g. "a whole number". */
        public String noun() {
            return noun;
        }
    }

    public Setting {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(defaultValue, "defaultValue is null");
        requireNonNull(help, "help is null");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("setting name must be a letter followed by letters and digits: " + name);
        }
        if (help.isBlank()) {
            throw new IllegalArgumentException("setting " + name + " needs a help sentence");
        }
        if (!(min <= max)) {
            throw new IllegalArgumentException("setting " + name + " has min " + min + " above max " + max);
        }
        boolean fits = switch (type) {
            case WHOLE_NUMBER -> defaultValue instanceof Integer i && i >= min && i <= max;
            case DECIMAL -> defaultValue instanceof Double d && d >= min && d <= max;
            case BOOLEAN -> defaultValue instanceof Boolean;
            case TEXT -> defaultValue instanceof String s && s.length() <= MAX_TEXT;
        };
        if (!fits) {
            throw new IllegalArgumentException("setting " + name + " has a default that is not " + expected(type, min, max)
                    + ": " + defaultValue);
        }
    }

    /** A whole number from {@code min} to {@code max}. */
    public static Setting wholeNumber(String name, int defaultValue, int min, int max, String help) {
        return new Setting(name, Type.WHOLE_NUMBER, defaultValue, min, max, help);
    }

    /** A number (fractions allowed) from {@code min} to {@code max}. */
    public static Setting decimal(String name, double defaultValue, double min, double max, String help) {
        return new Setting(name, Type.DECIMAL, defaultValue, min, max, help);
    }

    public static Setting bool(String name, boolean defaultValue, String help) {
        return new Setting(name, Type.BOOLEAN, defaultValue, 0, 0, help);
    }

    /**
     * Up to {@link #MAX_TEXT} printable characters. A check that puts one into a probe command must
     * validate it and quote it with {@link dev.chatops.core.shell.ShellQuote}.
     */
    public static Setting text(String name, String defaultValue, String help) {
        return new Setting(name, Type.TEXT, defaultValue, 0, 0, help);
    }

    /**
     * The value written in the configuration, converted to this setting's type.
     *
     * @throws IllegalArgumentException with what is expected, e.g. "must be a whole number 1-100"
     */
    public Object parse(String text) {
        requireNonNull(text, "text is null");
        String s = text.trim();
        try {
            Object value = switch (type) {
                case WHOLE_NUMBER -> Integer.valueOf(s);
                case DECIMAL -> Double.valueOf(s);
                case BOOLEAN -> switch (s.toLowerCase(Locale.ROOT)) {
                    case "true", "yes", "on" -> Boolean.TRUE;
                    case "false", "no", "off" -> Boolean.FALSE;
                    default -> throw new IllegalArgumentException(s);
                };
                case TEXT -> {
                    if (text.length() > MAX_TEXT || text.chars().anyMatch(Character::isISOControl)) {
                        throw new IllegalArgumentException(s);
                    }
                    yield text;
                }
            };
            if (value instanceof Number n && !(n.doubleValue() >= min && n.doubleValue() <= max)) {
                throw new IllegalArgumentException(s);
            }
            return value;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be " + expected(type, min, max), e);
        }
    }

    /** For the {@code checks} command: type, range and default, e.g. "a whole number 1-100, default 90". */
    public String describe() {
        return expected(type, min, max) + ", default " + (defaultValue instanceof String s ? "\"" + s + "\"" : defaultValue);
    }

    private static String expected(Type type, double min, double max) {
        return switch (type) {
            case WHOLE_NUMBER -> type.noun() + " " + (long) min + "-" + (long) max;
            case DECIMAL -> type.noun() + " " + plain(min) + "-" + plain(max);
            case BOOLEAN -> type.noun();
            case TEXT -> "text of at most " + MAX_TEXT + " printable characters";
        };
    }

    private static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }
}
