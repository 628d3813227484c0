package dev.chatops.core.testing;

import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.EvidenceLine;
import dev.chatops.core.spi.Probe;
import java.util.List;

/**
 * A check with one probe, {@code status}, whose output is the diagnosis: {@code healthy}, {@code
 * down N} (cause {@code upstream-down}, N 502s) or anything else (inconclusive).
 */
public final class StatusCheck implements Check {

    public static final String NAME = "status";
    public static final String PROBE = "status";

    private final String name;

    public StatusCheck() {
        this(NAME);
    }

    /** The same check under another name, for tests that need two checks. */
    public StatusCheck(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String help() {
        return "Reads a host's status line. Usage: /status <host>";
    }

    @Override
    public List<Probe> probes(CheckOptions options) {
        return List.of(Probe.of(PROBE, "cat /run/status"));
    }

    @Override
    public Diagnosis diagnose(Evidence evidence) {
        String status = evidence.stdout(PROBE).trim();
        if (status.equals("healthy")) {
            return Diagnosis.healthy("no 502s in the window", List.of());
        }
        if (status.startsWith("down")) {
            String count = status.substring(4).trim();
            return Diagnosis.causes("upstream shop_app is down (" + count + "× 502)", List.of(new Cause("upstream-down",
                    "Upstream is not running", 0.9, "nothing listens on 127.0.0.1:3000",
                    List.of(EvidenceLine.once("status", status)), List.of())), List.of());
        }
        return Diagnosis.inconclusive("status says `" + status + "`", List.of());
    }
}
