package dev.chatops.core.spi;

import java.util.List;
import java.util.Optional;

/**
 * A check plugin: names itself, explains itself, declares the read-only probes it needs and
 * turns the evidence they collected into a diagnosis.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}: one class plus one line in
 * {@code META-INF/services/dev.chatops.core.spi.Check}. They need a public no-argument
 * constructor and must be safe to call from several threads at once.
 *
 * <p>A check knows its domain (nginx); it knows nothing of Slack or SSH. {@link #diagnose} does
 * no I/O, so every diagnosis can be replayed from recorded {@link Evidence}.
 */
public interface Check {

    /**
     * The SPI version this interface describes: 1, the contract of the {@code check-api} module
     * (this package with {@code dev.chatops.core.shell} and {@code dev.chatops.core.redact}).
     * Additions that keep existing plugins working (new default methods, builders, settings) keep
     * the number; a change that would break a built plugin raises it. The registry refuses a plugin
     * whose {@link #spiVersion()} differs, saying both versions.
     */
    int SPI_VERSION = 1;

    /** The name users type and config refers to, e.g. {@code nginx502}: lower case, digits, '-'. */
    String name();

    /** One paragraph saying what the check finds and how to ask for it. Never empty. */
    String help();

    /**
     * The probes to run on the host, in one batch. Commands are fixed strings: no user text may
     * ever be part of them.
     */
    List<Probe> probes(CheckOptions options);

    /**
     * Probes that depend on what the first batch found (a config path, a log path, an upstream
     * address). Called with the evidence of the first batch, and again with everything collected so far
     * after each follow-up batch, as long as it names a probe that has not run yet (at most three
     * times a run): a probe whose name already ran is not run again, so returning the same list
     * ends the run. The default needs none.
     * Values taken from the evidence must be validated and quoted with
     * {@link dev.chatops.core.shell.ShellQuote}; they still never come from the user.
     */
    default List<Probe> followUp(Evidence firstBatch, CheckOptions options) {
        return List.of();
    }

    /**
     * Whether {@link #followUp} may be asked before a batch has finished, so that a follow-up starts as soon as
     * what it needs is in, not after the slowest probe of its batch. When true, the check is asked each time a
     * probe finishes, with the evidence of every probe finished so far (others may still be running), and it
     * names only probes whose inputs that evidence already holds: a name runs once, on the evidence it was first
     * named on. When the last probe finishes, it is asked with everything. The bound of {@link #followUp} holds:
     * a probe named when a probe of round r finished is of round r + 1, and a probe of the last round asks
     * nothing. The default, false, asks after each whole batch.
     */
    default boolean followUpAsResultsArrive() {
        return false;
    }

    /**
     * Turns evidence into a verdict and ranked causes. Pure: no I/O, no clock (the time of
     * collection is {@link Evidence#collectedAt()}), so replaying saved evidence gives the same
     * diagnosis.
     */
    Diagnosis diagnose(Evidence evidence);

    /**
     * What an operator installs once on each host for this check to see everything (a root helper and
     * its sudoers line); the default needs nothing.
     */
    default HostSetup hostSetup() {
        return HostSetup.none();
    }

    /**
     * The settings this check accepts under {@code checks: <name>:} in the configuration, with
     * type, default and help; the default accepts none. Any other key there is refused at start-up.
     * Their values reach the check in {@link CheckOptions#settings()} and, for {@link #diagnose},
     * in {@link Evidence#settings()}.
     */
    default List<Setting> settings() {
        return List.of();
    }

    /**
     * What pasted log lines alone say, with no host and no probes: someone pastes lines from a host the bot
     * may not reach and asks what they mean. Pure like {@link #diagnose}: no I/O, no clock. The lines are
     * hostile text; quote them redacted. Empty (the default) when the check does not read pasted lines.
     */
    default Optional<Explanation> explain(PastedText text) {
        return Optional.empty();
    }

    /** The SPI version this plugin was built for; override only to declare another one. */
    default int spiVersion() {
        return SPI_VERSION;
    }
}
