package dev.chatops.testkit;

import static java.util.Objects.requireNonNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chatops.core.evidence.EvidenceFile;
import dev.chatops.core.host.Host;
import dev.chatops.core.report.Report;
import dev.chatops.core.run.CheckRun;
import dev.chatops.core.run.CheckRunner;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.transport.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Runs one check the way the bot does (through bot-core's {@link CheckRunner}: probes, the follow-up
 * round, the diagnosis), against recorded evidence, this machine or a {@link FakeHost}.
 *
 * <pre>{@code
 * CheckHarness harness = CheckHarness.of(new MyCheck());
 * Report replayed = harness.replayResource("evidence/upstream-down.json");
 * CheckHarness.Run scripted = harness.run(FakeHost.script().probe("ps", "nginx: master process\n"));
 * CheckHarness.Run here = harness.runHere();
 * }</pre>
 */
public final class CheckHarness {

    /** One run: the evidence both rounds collected and the report made from it. */
    public record Run(Evidence evidence, Report report) {
        public Run {
            requireNonNull(evidence, "evidence is null");
            requireNonNull(report, "report is null");
        }
    }

    private final Check check;
    private final Clock clock;

    private CheckHarness(Check check, Clock clock) {
        this.check = requireNonNull(check, "check is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** A harness for {@code check}, on the system clock. */
    public static CheckHarness of(Check check) {
        return new CheckHarness(check, Clock.systemUTC());
    }

    /** The same harness on {@code newClock}: it stamps the evidence collected by runs. */
    public CheckHarness withClock(Clock newClock) {
        return new CheckHarness(check, newClock);
    }

    /**
     * The check's diagnosis of {@code evidence}, called directly so that an exception in it fails the
     * test with its own stack trace. Fails when the evidence was collected for another check.
     */
    public Diagnosis diagnose(Evidence evidence) {
        assertEquals(check.name(), evidence.check(), "the evidence was collected for another check");
        return requireNonNull(check.diagnose(evidence), "diagnose returned null");
    }

    /** The report the bot's {@code replay} would give for {@code evidence}. */
    public Report replay(Evidence evidence) {
        assertEquals(check.name(), evidence.check(), "the evidence was collected for another check");
        // a replay contacts no host; the runner only wants a transport to hold
        return runner(FakeHost.script()).replay(check, evidence);
    }

    /** The report for an evidence file written by {@code check --save-evidence}. */
    public Report replay(Path evidenceFile) {
        return replay(EvidenceFile.read(evidenceFile));
    }

    /** The report for an evidence file on the test class path, e.g. {@code evidence/upstream-down.json}. */
    public Report replayResource(String resource) {
        return replay(evidence(resource));
    }

    /** The evidence in a file on the test class path. */
    public Evidence evidence(String resource) {
        ClassLoader loader = check.getClass().getClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                return fail("no resource " + resource + " on the class path");
            }
            return EvidenceFile.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the check's probes on this machine ({@link ThisMachine}) with the default options. */
    public Run runHere() {
        return runHere(CheckOptions.defaults());
    }

    public Run runHere(CheckOptions options) {
        return run(new ThisMachine(), Host.local("localhost"), options);
    }

    /** Runs the check against a scripted host with the default options. */
    public Run run(FakeHost host) {
        return run(host, CheckOptions.defaults());
    }

    public Run run(FakeHost host, CheckOptions options) {
        return run(host, Host.local("test-host"), options);
    }

    private Run run(Transport transport, Host host, CheckOptions options) {
        CheckRun run = runner(transport).run(check, host, options);
        Evidence evidence = run.evidence().orElseGet(() -> fail("the run collected no evidence: "
                + run.report().summary()));
        return new Run(evidence, run.report());
    }

    private CheckRunner runner(Transport transport) {
        return new CheckRunner(transport, clock);
    }
}
