package dev.chatops.adapters.bench;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The figures of one harness run, appended to a results file as {@code key value} lines that
 * bench/run turns into the table; each is also echoed on stderr as it is measured.
 */
final class Results {

    private final Path file;

    Results(Path file) {
        this.file = requireNonNull(file, "file is null");
    }

    void put(String key, String value) {
        if (key.contains(" ") || value.contains("\n")) {
            throw new IllegalArgumentException("a results key has no spaces and a value no newline: " + key);
        }
        String line = key + " " + value + "\n";
        System.err.print("bench: " + line);
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results file " + file, e);
        }
    }

    void put(String key, double value) {
        put(key, String.format(Locale.ROOT, "%.2f", value));
    }

    void put(String key, long value) {
        put(key, Long.toString(value));
    }

    /** Median, p90 and every sample of one measurement, under {@code key.median}, {@code key.p90}, {@code key.raw}. */
    void put(String key, Samples samples) {
        put(key + ".median", samples.median());
        put(key + ".p90", samples.quantile(0.9));
        put(key + ".p99", samples.quantile(0.99));
        put(key + ".n", samples.size());
        put(key + ".raw", samples.raw());
    }
}
