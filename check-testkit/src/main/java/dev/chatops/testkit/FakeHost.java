package dev.chatops.testkit;

import static java.util.Objects.requireNonNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chatops.core.host.Host;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.transport.Transport;
import dev.chatops.core.transport.TransportSession;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A host whose probe outputs a test gives by probe name. It fails the test when the check asks for a
 * probe the script does not know, or when a probe that needs root breaks the
 * {@link dev.chatops.core.shell.SudoRule}. Not safe for use by several tests at once.
 */
public final class FakeHost implements Transport {

    private final Map<String, ProbeResult> script = new LinkedHashMap<>();
    private final List<Probe> asked = new ArrayList<>();

    private FakeHost() {
    }

    /** A host that knows no probe yet. */
    public static FakeHost script() {
        return new FakeHost();
    }

    /** A host that answers every probe recorded in {@code evidence} with its recorded result. */
    public static FakeHost recorded(Evidence evidence) {
        FakeHost host = new FakeHost();
        host.script.putAll(evidence.probes());
        return host;
    }

    /** Probe {@code name} prints {@code stdout} and exits 0. */
    public FakeHost probe(String name, String stdout) {
        return probe(name, 0, stdout, "");
    }

    /** Probe {@code name} exits with {@code exit}, printing {@code stdout} and {@code stderr}. */
    public FakeHost probe(String name, int exit, String stdout, String stderr) {
        requireNonNull(name, "name is null");
        script.put(name, new ProbeResult("scripted " + name, exit, stdout, stderr, 0, false));
        return this;
    }

    /** Every probe the check asked for so far, in the order asked, both rounds. */
    public List<Probe> asked() {
        synchronized (asked) {
            return List.copyOf(asked);
        }
    }

    @Override
    public TransportSession open(Host host) {
        return new TransportSession() {
            @Override
            public Map<String, ProbeResult> run(List<Probe> probes) {
                Map<String, ProbeResult> out = new LinkedHashMap<>();
                for (Probe p : probes) {
                    synchronized (asked) {
                        asked.add(p);
                    }
                    p.sudoProblem().ifPresent(problem -> fail(problem + ": " + p.command()));
                    ProbeResult scripted = script.get(p.name());
                    if (scripted == null) {
                        fail("the check asked for probe " + p.name() + " (" + p.command()
                                + "), which the script does not know; add it with FakeHost.probe(\"" + p.name()
                                + "\", ...)");
                    }
                    out.put(p.name(), new ProbeResult(p.command(), scripted.exit(), scripted.stdout(),
                            scripted.stderr(), scripted.ms(), scripted.truncated()));
                }
                return out;
            }

            @Override
            public void close() {
            }
        };
    }
}
