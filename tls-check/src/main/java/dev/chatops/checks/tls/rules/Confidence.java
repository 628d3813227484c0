package dev.chatops.checks.tls.rules;

/** The confidence levels of the tls check's causes, named once. */
final class Confidence {

    /** Read off the certificate itself: expired, a key that is not its own. */
    static final double CERTAIN = 0.95;
    /** What clients will refuse: a name not covered, a chain out of order. */
    static final double LIKELY = 0.85;
    /** Soon a problem, or one that depends on the client: expiring, a chain without its intermediate. */
    static final double SOON = 0.75;
    /** A problem nginx itself does not act on (it does not verify that upstream). */
    static final double UNCHECKED = 0.5;

    private Confidence() {
    }
}
