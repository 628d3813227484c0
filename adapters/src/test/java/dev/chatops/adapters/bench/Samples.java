package dev.chatops.adapters.bench;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Measured durations in milliseconds, with the order statistics the benchmark reports. */
record Samples(List<Double> millis) {

    Samples {
        millis = List.copyOf(requireNonNull(millis, "millis is null"));
        if (millis.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
    }

    static Samples ofNanos(List<Long> nanos) {
        return new Samples(nanos.stream().map(n -> n / 1e6).toList());
    }

    double median() {
        return quantile(0.5);
    }

    /** Nearest-rank quantile: the smallest sample with at least {@code q} of them at or below it. */
    double quantile(double q) {
        List<Double> sorted = new ArrayList<>(millis);
        sorted.sort(null);
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    double max() {
        return quantile(1.0);
    }

    int size() {
        return millis.size();
    }

    /** All samples in the order they were taken, for the results file. */
    String raw() {
        return millis.stream().map(m -> String.format(Locale.ROOT, "%.1f", m)).collect(Collectors.joining(","));
    }
}
