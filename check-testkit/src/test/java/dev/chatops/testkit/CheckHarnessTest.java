package dev.chatops.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.evidence.EvidenceFile;
import dev.chatops.core.report.Report;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.spi.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

class CheckHarnessTest {

    private static final Instant AT = Instant.parse("2026-03-04T05:06:07Z");
    private final CheckHarness harness = CheckHarness.of(new GreetingCheck()).withClock(Clock.fixed(AT, ZoneOffset.UTC));

    @Test
    void replayResource_recordedEvidence_diagnosedAsTheBotWould() {
        Report report = harness.replayResource("evidence/greeting-silent.json");

        assertEquals(Verdict.INCONCLUSIVE, report.verdict());
        assertEquals("web-03", report.host());
        assertEquals(List.of("greet", "uid"), report.probes().stream().map(Report.ProbeSummary::name).toList());
    }

    @Test
    void replay_fileWrittenByTheBot_readBack(@TempDir Path dir) throws Exception {
        CheckHarness.Run run = harness.run(FakeHost.script().probe("greet", "hello\n").probe("uid", "0\n")
                .probe("reply", "world\n"));
        Path file = dir.resolve("greeting.json");
        EvidenceFile.writeRaw(run.evidence(), file);

        assertEquals(Verdict.HEALTHY, harness.replay(file).verdict());
        assertTrue(Files.size(file) > 0);
    }

    @Test
    void replay_evidenceOfAnotherCheck_fails() {
        CheckHarness other = CheckHarness.of(new GreetingCheck() {
            @Override
            public String name() {
                return "other";
            }
        });

        assertThrows(AssertionFailedError.class, () -> other.replayResource("evidence/greeting-silent.json"));
    }

    @Test
    void run_scriptedHost_bothRoundsAskedAndDiagnosed() {
        FakeHost host = FakeHost.script().probe("greet", "hello\n").probe("uid", "0\n").probe("reply", "world\n");

        CheckHarness.Run run = harness.run(host);

        assertEquals(Verdict.HEALTHY, run.report().verdict());
        assertEquals(List.of("greet", "uid", "reply"), host.asked().stream().map(Probe::name).toList());
        assertEquals(AT, run.evidence().collectedAt());
        assertEquals("world\n", run.evidence().probes().get("reply").stdout());
    }

    @Test
    void run_scriptedHostWithoutFollowUpAnswer_failsNamingTheProbe() {
        FakeHost host = FakeHost.script().probe("greet", "hello\n").probe("uid", "0\n");

        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> harness.run(host));

        assertTrue(e.getMessage().contains("probe reply"), e.getMessage());
    }

    @Test
    void run_scriptedHostAndARootProbeWithShellSyntax_fails() {
        CheckHarness bad = CheckHarness.of(new GreetingCheck("id -u | cat"));
        FakeHost host = FakeHost.script().probe("greet", "hello\n").probe("uid", "0\n").probe("reply", "world\n");

        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> bad.run(host));

        assertTrue(e.getMessage().contains("probe uid needs root, but its command is not one program with plain "
                + "arguments"), e.getMessage());
    }

    @Test
    void runHere_probesRunOnThisMachineWithTheFollowUpRound() {
        CheckHarness.Run run = harness.runHere();

        assertEquals(Verdict.HEALTHY, run.report().verdict(), run.report().summary());
        assertEquals("hello\n", run.evidence().probes().get("greet").stdout());
        assertEquals(0, run.evidence().probes().get("uid").exit());
    }

    @Test
    void runHere_rootProbeWithShellSyntax_refusedNotRun(@TempDir Path dir) {
        Path marker = dir.resolve("ran");
        CheckHarness bad = CheckHarness.of(new GreetingCheck("touch " + marker + "; id -u"));

        ProbeResult uid = bad.runHere().evidence().probes().get("uid");

        assertEquals(ProbeResult.NOT_RUN, uid.exit());
        assertTrue(uid.stderr().startsWith("probe uid needs root, but its command is not one program"), uid.stderr());
        assertTrue(Files.notExists(marker), "the refused command ran");
    }

    @Test
    void runHere_probePastItsTimeout_cutOff() {
        ProbeResult r = ThisMachine.runOne(Probe.of("slow", "sleep 30").withTimeout(java.time.Duration.ofMillis(200)));

        assertEquals(ProbeResult.TIMED_OUT, r.exit());
        assertTrue(r.stderr().contains("timed out"), r.stderr());
    }

    @Test
    void runHere_outputOverCap_truncatedAndMarked() {
        ProbeResult r = ThisMachine.runOne(Probe.of("loud", "head -c 5000 /dev/zero | tr '\\0' x").withMaxBytes(100));

        assertEquals(100, r.stdout().length());
        assertTrue(r.truncated());
    }

    @Test
    void runHere_probesRunSideBySide() {
        List<Probe> slow = List.of(Probe.of("a", "sleep 1"), Probe.of("b", "sleep 1"), Probe.of("c", "sleep 1"));
        long start = System.nanoTime();

        try (var session = new ThisMachine().open(dev.chatops.core.host.Host.local("localhost"))) {
            session.run(slow).values().forEach(r -> assertEquals(0, r.exit()));
        }

        assertTrue(System.nanoTime() - start < 2_500_000_000L, "three one-second probes took their sum");
    }
}
