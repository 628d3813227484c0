package dev.chatops.checks.nginx502.finding;

/**
 * How sure a rule is of a cause, in named levels: causes are ranked by it, and one cause id found twice keeps
 * the surer finding. The levels are fixed points rather than arithmetic so that two rules that see the same
 * strength of evidence rank the same, and a level just above another says which of two fitting causes leads.
 */
public enum Confidence {
    /** Proven, and the reason another proven cause happened (a name that does not resolve, behind a failed start). */
    DECISIVE(0.96),
    /** nginx or the kernel says it in its own words and the host agrees now: nothing else fits. */
    PROVEN(0.95),
    /** Log lines and what the host shows now point at the same thing, and where it should go instead is known. */
    CONFIRMED(0.93),
    /** Just below {@link #CONFIRMED}: confirmed, but a neighbouring cause explains the same lines as well. */
    STRONG(0.92),
    /** Just below {@link #STRONG}: every server of an upstream refuses, and nothing listens on any of them. */
    CLEAR(0.91),
    /** The log names the cause and the host does not contradict it. */
    HIGH(0.9),
    /** Confirmed by a listener of the right kind, but not by the backend's own settings. */
    FIRM(0.88),
    /** The log names it; the host could not confirm it (nothing to look at, or one candidate among few). */
    LIKELY(0.85),
    /** Fits the log lines; another cause could produce the same lines. */
    PROBABLE(0.8),
    /** One of several readings of the same lines. */
    PLAUSIBLE(0.7),
    /** Suggested by the lines, with what would confirm it missing. */
    SUGGESTED(0.65),
    /** Possible: the lines fit, the host shows nothing for or against. */
    POSSIBLE(0.6),
    /** Possible, with something seen that argues against it. */
    DOUBTFUL(0.55),
    /** Weak: named so the engineer can rule it out. */
    WEAK(0.5),
    /** Hardly supported: a mechanism that could be at work, with no sign of it. */
    FAINT(0.4),
    /** A guess left in so it can be ruled out. */
    GUESS(0.3);

    private final double value;

    Confidence(double value) {
        this.value = value;
    }

    /** The 0..1 number a {@link dev.chatops.core.spi.Cause} carries. */
    public double value() {
        return value;
    }

    /** The weaker of this and {@code cap}: evidence that argues against a cause caps how sure a rule may be. */
    public Confidence atMost(Confidence cap) {
        return value <= cap.value ? this : cap;
    }
}
