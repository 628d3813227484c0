package dev.chatops.core.spi;

import static java.util.Objects.requireNonNull;

/** A place in a configuration file: where a directive is, or where one belongs. */
public record Location(String file, int line) {

    public Location {
        requireNonNull(file, "file is null");
        if (line < 1) {
            throw new IllegalArgumentException("line must be at least 1");
        }
    }

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
