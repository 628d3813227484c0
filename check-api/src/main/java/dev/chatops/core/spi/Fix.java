package dev.chatops.core.spi;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One concrete remedy: a command to run, or a directive to put in a config file.
 *
 * @param at where a directive goes or what it replaces; empty for commands
 */
public record Fix(Kind kind, String text, Optional<Location> at) {

    public enum Kind {
        COMMAND("command"),
        DIRECTIVE("directive");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    public Fix {
        requireNonNull(kind, "kind is null");
        requireNonNull(text, "text is null");
        requireNonNull(at, "at is null");
    }

    public static Fix command(String text) {
        return new Fix(Kind.COMMAND, text, Optional.empty());
    }

    /** A directive in general form, where no config was read to say where it goes. */
    public static Fix directive(String text) {
        return new Fix(Kind.DIRECTIVE, text, Optional.empty());
    }

    public static Fix directive(String text, String file, int line) {
        return new Fix(Kind.DIRECTIVE, text, Optional.of(new Location(file, line)));
    }

    public static Fix directive(String text, Location at) {
        return new Fix(Kind.DIRECTIVE, text, Optional.of(at));
    }
}
