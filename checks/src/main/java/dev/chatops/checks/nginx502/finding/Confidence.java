package dev.chatops.checks.nginx502.finding;

/**
 * How sure a rule is of a cause, in named levels: causes are ranked by it, and one cause id found twice keeps
 * the surer finding. The levels are fixed points rather than arithmetic so that two rules that see the same
 * strength of evidence rank the same, and a level just above another says which of two fitting causes leads.
 */
public enum Confidence {
    /** Above {@link #PROVEN}: proven, and the reason behind another proven cause, so it leads. */
    DECISIVE(0.96),
    /** nginx, the kernel or {@code nginx -t} names the cause in its own words, and the host agrees. */
    PROVEN(0.95),
    /** The log lines and an independent look at the host (a handshake, a kernel record, a pool) agree. */
    CONFIRMED(0.93),
    /** Confirmed, ranked just below {@link #CONFIRMED}. */
    STRONG(0.92),
    /** Confirmed, ranked just below {@link #STRONG}. */
    CLEAR(0.91),
    /** The log names the cause and what the host shows now agrees. */
    HIGH(0.9),
    /** The log names the cause and the host agrees in part. */
    FIRM(0.88),
    /** The log names the cause; the host could not confirm it, or one candidate fits among few. */
    LIKELY(0.85),
    /** Fits the log lines; another cause could produce the same lines. */
    PROBABLE(0.8),
    /** One of several readings of the same lines. */
    PLAUSIBLE(0.7),
    /** Suggested by the lines, with what would confirm it missing. */
    SUGGESTED(0.65),
    /** The lines fit; the host shows nothing for or against. */
    POSSIBLE(0.6),
    /** Possible, with something seen that argues against it. */
    DOUBTFUL(0.55),
    /** Weak: named so the engineer can rule it out. */
    WEAK(0.5),
    /** A mechanism that could be at work, with no sign of it. */
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
