package dev.chatops.checks.nginx502;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.checks.nginx502.probe.RootHelper;
import dev.chatops.core.report.Report;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.Verdict;
import dev.chatops.testkit.CheckHarness;
import dev.chatops.testkit.FakeHost;
import dev.chatops.testkit.TestedCheck;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** nginx502 through the check test kit, as a plugin from outside this project would test itself. */
@TestedCheck(Nginx502Check.class)
class TestkitTest {

    private static final String FIXTURE = "evidence/upstream-down-tcp.json";

    @Test
    void replayResource_upstreamDown_namesTheCause(CheckHarness harness) {
        Report report = harness.replayResource(FIXTURE);

        assertEquals(Verdict.CAUSE_FOUND, report.verdict(), report.summary());
        assertEquals("upstream-down", report.causes().get(0).id());
    }

    @Test
    void probes_everyRootProbeOfTheFirstBatchKeepsTheSudoRule() {
        List<Probe> root = new Nginx502Check().probes(CheckOptions.defaults()).stream().filter(Probe::sudo).toList();

        assertFalse(root.isEmpty(), "nginx502 runs no probe as root; this test would prove nothing");
        root.forEach(p -> assertEquals(Optional.empty(), p.sudoProblem(), p.name() + ": " + p.command()));
    }

    @Test
    void run_firstBatchOnAHostThatPrintsNothing_rootProbesKeepTheRuleAndNothingIsCalledHealthy() {
        List<Probe> first = new Nginx502Check().probes(CheckOptions.defaults());
        FakeHost host = FakeHost.script();
        first.forEach(p -> host.probe(p.name(), ""));
        // the root helper answered nothing, so its commands run one by one: the host prints nothing for those too
        RootHelper.perProbe().forEach(p -> host.probe(p.name(), ""));

        CheckHarness.Run run = CheckHarness.of(new Nginx502Check()).run(host);

        assertEquals(first, host.asked().subList(0, first.size()));
        assertTrue(host.asked().stream().anyMatch(Probe::sudo), "no probe asked for root");
        host.asked().stream().filter(Probe::sudo)
                .forEach(p -> assertEquals(Optional.empty(), p.sudoProblem(), p.name() + ": " + p.command()));
        assertTrue(host.asked().containsAll(RootHelper.perProbe()), host.asked().toString());
        assertEquals(first.size() + RootHelper.perProbe().size(), run.evidence().probes().size());
        assertFalse(run.report().verdict() == Verdict.HEALTHY, "healthy without evidence: " + run.report().summary());
    }
}
