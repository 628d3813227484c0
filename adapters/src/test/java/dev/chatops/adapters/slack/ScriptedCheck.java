package dev.chatops.adapters.slack;

import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.EvidenceLine;
import dev.chatops.core.spi.Fix;
import dev.chatops.core.spi.Probe;
import java.util.List;
import java.util.function.Function;

/** A check plugin whose diagnosis a test chooses; its probes are fixed read-only commands. */
final class ScriptedCheck implements Check {

    private final String name;
    private final Function<Evidence, Diagnosis> diagnosis;

    ScriptedCheck(String name, Function<Evidence, Diagnosis> diagnosis) {
        this.name = name;
        this.diagnosis = diagnosis;
    }

    /** The upstream-down diagnosis of conversation.md, drawn from the error-log probe's output. */
    static ScriptedCheck upstreamDown() {
        return new ScriptedCheck("nginx502", e -> Diagnosis.causes(
                "upstream shop_app (127.0.0.1:3000) refuses connections: nothing listens on :3000",
                List.of(new Cause("upstream-down", "Upstream is not running", 0.93,
                                "shop.example.com → upstream shop_app (127.0.0.1:3000): connections refused, and no "
                                        + "process listens on :3000.",
                                List.of(new EvidenceLine("/var/log/nginx/error.log", e.stdout("error-log").strip(), 25),
                                        new EvidenceLine("ss -ltnp", "nothing on 127.0.0.1:3000", 1)),
                                List.of(Fix.command("sudo systemctl restart shop.service"),
                                        Fix.directive("server 127.0.0.1:3001;", "/etc/nginx/conf.d/shop.conf", 1))),
                        new Cause("upstream-keepalive", "Upstream has no keepalive", 0.3,
                                "upstream shop_app has no keepalive",
                                List.of(),
                                List.of(Fix.directive("keepalive 16;", "/etc/nginx/conf.d/shop.conf", 1)))),
                List.of("25 of 25 requests in the window answered 502")));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String help() {
        return "Test check " + name + ": finds why nginx answers 502. Usage: /" + name + " <host> [fresh]";
    }

    @Override
    public List<Probe> probes(CheckOptions options) {
        return List.of(Probe.of("error-log", "tail -n 200 /var/log/nginx/error.log"),
                Probe.of("access-log", "tail -n 200 /var/log/nginx/access.log"),
                Probe.of("listening", "ss -ltnp"));
    }

    @Override
    public Diagnosis diagnose(Evidence evidence) {
        return diagnosis.apply(evidence);
    }
}
