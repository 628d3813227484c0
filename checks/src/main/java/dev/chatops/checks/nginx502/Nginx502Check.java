package dev.chatops.checks.nginx502;

import dev.chatops.checks.nginx502.evidence.FollowUp;
import dev.chatops.checks.nginx502.evidence.HostEvidence;
import dev.chatops.checks.nginx502.explain.Explainer;
import dev.chatops.checks.nginx502.probe.Nginx502Probes;
import dev.chatops.checks.nginx502.probe.RootHelper;
import dev.chatops.checks.nginx502.report.Diagnoser;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Explanation;
import dev.chatops.core.spi.HostSetup;
import dev.chatops.core.spi.PastedText;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.Setting;
import java.util.List;
import java.util.Optional;

/**
 * Finds why nginx answers 502 Bad Gateway (and 504) on a host: collects the evidence the
 * troubleshooting guides ask for and names the cause with the exact fix.
 */
public final class Nginx502Check implements Check {

    @Override
    public String name() {
        return "nginx502";
    }

    @Override
    public HostSetup hostSetup() {
        return Nginx502Probes.hostSetup();
    }

    @Override
    public String help() {
        return "Finds why nginx answers 502 Bad Gateway or 504 on a host: reads the error and access logs of the "
                + "last minutes, the running config (nginx -T), what listens where and the backends' state, then "
                + "names the cause with the evidence and the fix. Usage: /nginx502 <host> [fresh]";
    }

    @Override
    public List<Probe> probes(CheckOptions options) {
        return Nginx502Probes.first(options);
    }

    /**
     * Asked as each probe finishes: the root commands one by one start as soon as the root helper has not
     * answered, alongside the rest of the first batch; what follows starts once everything it is chosen from is in.
     */
    @Override
    public List<Probe> followUp(Evidence sofar, CheckOptions options) {
        // the root helper's output read once per call: this is asked each time a probe finishes
        Evidence read = RootHelper.expand(sofar);
        if (Nginx502Probes.followUpRan(read)) {
            return List.of();
        }
        // what follows depends on the root commands: one by one when the root helper did not answer
        List<Probe> fallback = RootHelper.fallback(sofar, read);
        if (!fallback.isEmpty()) {
            return fallback;
        }
        return RootHelper.firstBatchIn(read) ? FollowUp.probes(HostEvidence.from(read), options) : List.of();
    }

    @Override
    public boolean followUpAsResultsArrive() {
        return true;
    }

    @Override
    public List<Setting> settings() {
        return List.of(RootHelper.SETTING);
    }

    @Override
    public Diagnosis diagnose(Evidence evidence) {
        // the root helper's parts read as the probes they stand for, whichever way they ran
        return Diagnoser.diagnose(RootHelper.expand(evidence));
    }

    @Override
    public Optional<Explanation> explain(PastedText text) {
        return Optional.of(Explainer.explain(text));
    }
}
