package dev.chatops.core.spi;

/** The outcome of a check run, as it appears in the JSON report. */
public enum Verdict {
    /** At least one cause identified. */
    CAUSE_FOUND("cause-found"),
    /** Nothing wrong in the window. */
    HEALTHY("healthy"),
    /** Something is wrong, but no cause could be named; the summary says what was seen. */
    INCONCLUSIVE("inconclusive"),
    /** The host could not be checked; the summary says why. */
    UNREACHABLE("unreachable");

    private final String id;

    Verdict(String id) {
        this.id = id;
    }

    /** The contract value, e.g. {@code cause-found}. */
    public String id() {
        return id;
    }
}
