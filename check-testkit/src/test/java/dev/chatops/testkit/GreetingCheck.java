package dev.chatops.testkit;

import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import java.util.List;
import java.util.Optional;

/**
 * A tiny check for the kit's own tests: healthy when the host greets and its follow-up probe (asked
 * for only after a greeting) answers; {@code rootCommand} is what its probe {@code uid} runs as root.
 */
class GreetingCheck implements Check {

    private final String rootCommand;

    GreetingCheck(String rootCommand) {
        this.rootCommand = rootCommand;
    }

    GreetingCheck() {
        this("id -u");
    }

    @Override
    public String name() {
        return "greeting";
    }

    @Override
    public String help() {
        return "Says whether the host greets.";
    }

    @Override
    public List<Probe> probes(CheckOptions options) {
        return List.of(Probe.of("greet", "echo hello"), Probe.of("uid", rootCommand).asRoot());
    }

    @Override
    public List<Probe> followUp(Evidence firstBatch, CheckOptions options) {
        return firstBatch.probes().get("greet").stdout().startsWith("hello")
                ? List.of(Probe.of("reply", "printf '%s\\n' world"))
                : List.of();
    }

    @Override
    public Diagnosis diagnose(Evidence evidence) {
        Optional<ProbeResult> reply = Optional.ofNullable(evidence.probes().get("reply"));
        if (reply.isPresent() && reply.get().exit() == 0 && reply.get().stdout().equals("world\n")) {
            return Diagnosis.healthy("the host greets and replies", List.of());
        }
        return Diagnosis.inconclusive("the host did not greet", List.of());
    }
}
