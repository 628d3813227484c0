package dev.chatops.testkit;

import dev.chatops.core.host.Host;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.transport.Transport;
import dev.chatops.core.transport.TransportSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs probes as {@code /bin/sh -c} processes on this machine, as the test's own user (no sudo: a probe
 * that needs root sees what that user may see). A probe that needs root but breaks the
 * {@link dev.chatops.core.shell.SudoRule} is refused with the rule's sentence and not run, as the bot's
 * transports refuse it. Each probe is cut off at its timeout, with everything it started, and its
 * output capped at its {@link Probe#maxBytes()}.
 */
public final class ThisMachine implements Transport {

    @Override
    public TransportSession open(Host host) {
        // a thread per probe: each waits on its process, and the shared pool may have only one thread
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "testkit-probe");
            t.setDaemon(true);
            return t;
        });
        return new TransportSession() {
            @Override
            public Map<String, ProbeResult> run(List<Probe> probes) {
                List<CompletableFuture<ProbeResult>> running = new ArrayList<>();
                for (Probe p : probes) {
                    running.add(CompletableFuture.supplyAsync(() -> runOne(p), pool));
                }
                Map<String, ProbeResult> out = new LinkedHashMap<>();
                for (int i = 0; i < probes.size(); i++) {
                    out.put(probes.get(i).name(), running.get(i).join());
                }
                return out;
            }

            @Override
            public CompletableFuture<ProbeResult> start(Probe probe) {
                return CompletableFuture.supplyAsync(() -> runOne(probe), pool);
            }

            @Override
            public void close() {
                pool.shutdownNow();
            }
        };
    }

    static ProbeResult runOne(Probe probe) {
        Optional<String> sudoProblem = probe.sudoProblem();
        if (sudoProblem.isPresent()) {
            return new ProbeResult("sudo -n " + probe.command(), ProbeResult.NOT_RUN, "", sudoProblem.get() + "\n", 0,
                    false);
        }
        long start = System.nanoTime();
        Path out = null;
        Path err = null;
        try {
            // files, not pipes: a probe that prints a lot can never block on a reader that waits for it
            out = Files.createTempFile("probe-" + probe.name(), ".out");
            err = Files.createTempFile("probe-" + probe.name(), ".err");
            Process process = new ProcessBuilder("/bin/sh", "-c", probe.command())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            boolean finished = process.waitFor(probe.timeout().toMillis(), TimeUnit.MILLISECONDS);
            String note = "";
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
                note = "probe " + probe.name() + " timed out after " + probe.timeout().toMillis() + " ms and was stopped\n";
            }
            int exit = finished ? process.exitValue() : ProbeResult.TIMED_OUT;
            boolean truncated = Files.size(out) > probe.maxBytes() || Files.size(err) > probe.maxBytes();
            return new ProbeResult(probe.command(), exit, capped(out, probe.maxBytes()),
                    note + capped(err, probe.maxBytes()), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                    truncated);
        } catch (IOException e) {
            return new ProbeResult(probe.command(), ProbeResult.NOT_RUN, "", "cannot run /bin/sh: " + e.getMessage()
                    + "\n", 0, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ProbeResult(probe.command(), ProbeResult.NOT_RUN, "", "probe " + probe.name()
                    + " was interrupted\n", 0, false);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static String capped(Path file, int maxBytes) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(maxBytes), StandardCharsets.UTF_8);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary file left behind does not change the probe's result
            }
        }
    }
}
