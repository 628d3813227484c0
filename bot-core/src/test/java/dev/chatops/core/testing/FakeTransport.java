package dev.chatops.core.testing;

import dev.chatops.core.host.Host;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.transport.Transport;
import dev.chatops.core.transport.TransportException;
import dev.chatops.core.transport.TransportSession;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A transport that answers probes from a script instead of a host: stdout per probe name, a
 * failure per host. It counts sessions and remembers every command it was asked to run.
 */
public final class FakeTransport implements Transport {

    private final Map<String, ProbeResult> answers = new HashMap<>();
    private final Map<String, TransportException> failures = new HashMap<>();
    private final List<String> commands = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger opened = new AtomicInteger();

    public FakeTransport answer(String probe, String stdout) {
        return answer(probe, 0, stdout, "");
    }

    public FakeTransport answer(String probe, int exit, String stdout, String stderr) {
        answers.put(probe, new ProbeResult("", exit, stdout, stderr, 1, false));
        return this;
    }

    public FakeTransport fail(String host, TransportException failure) {
        failures.put(host, failure);
        return this;
    }

    public int sessionsOpened() {
        return opened.get();
    }

    public List<String> commands() {
        return List.copyOf(commands);
    }

    @Override
    public TransportSession open(Host host) throws TransportException {
        opened.incrementAndGet();
        TransportException failure = failures.get(host.name());
        if (failure != null) {
            throw failure;
        }
        return new TransportSession() {
            @Override
            public Map<String, ProbeResult> run(List<Probe> probes) {
                Map<String, ProbeResult> out = new LinkedHashMap<>();
                for (Probe p : probes) {
                    commands.add(p.command());
                    ProbeResult a = answers.get(p.name());
                    out.put(p.name(), a == null
                            ? new ProbeResult(p.command(), ProbeResult.NOT_RUN, "", "sh: not scripted", 1, false)
                            : new ProbeResult(p.command(), a.exit(), a.stdout(), a.stderr(), a.ms(), a.truncated()));
                }
                return out;
            }

            @Override
            public Optional<String> hostKeyFingerprint() {
                return Optional.of("SHA256:fake");
            }

            @Override
            public void close() {
            }
        };
    }
}
