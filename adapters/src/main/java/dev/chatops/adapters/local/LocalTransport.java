package dev.chatops.adapters.local;

import dev.chatops.adapters.io.CappedOutput;
import dev.chatops.core.host.Host;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.transport.Transport;
import dev.chatops.core.transport.TransportSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs probes as processes on this machine, for hosts with {@code transport: local}. Probes run in
 * parallel; each is cut off at its timeout (with everything it started) and its output capped. A probe
 * that needs root but breaks the {@link dev.chatops.core.shell.SudoRule} is refused, not run.
 */
public final class LocalTransport implements Transport {

    private final boolean sudo;

    /** @param sudo run probes that need root with {@code sudo -n} when this process is not root */
    public LocalTransport(boolean sudo) {
        this.sudo = sudo;
    }

    @Override
    public TransportSession open(Host host) {
        return new Session();
    }

    private final class Session implements TransportSession {
        private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "local-probe");
            t.setDaemon(true);
            return t;
        });

        @Override
        public Map<String, ProbeResult> run(List<Probe> probes) {
            List<CompletableFuture<ProbeResult>> futures = new ArrayList<>();
            for (Probe p : probes) {
                futures.add(CompletableFuture.supplyAsync(() -> runOne(p), pool));
            }
            Map<String, ProbeResult> out = new LinkedHashMap<>();
            for (int i = 0; i < probes.size(); i++) {
                out.put(probes.get(i).name(), futures.get(i).join());
            }
            return out;
        }

        @Override
        public CompletableFuture<ProbeResult> start(Probe probe) {
            return CompletableFuture.supplyAsync(() -> runOne(probe), pool);
        }

        private ProbeResult runOne(Probe probe) {
            // refused even when this process is root and would not need sudo, so a check that breaks
            // the rule fails here the way it would over SSH
            Optional<String> sudoProblem = probe.sudoProblem();
            if (sudoProblem.isPresent()) {
                return new ProbeResult("sudo -n " + probe.command(), ProbeResult.NOT_RUN, "", sudoProblem.get() + "\n",
                        0, false);
            }
            String command = probe.sudo() && sudo && !isRoot() ? "sudo -n " + probe.command() : probe.command();
            long start = System.nanoTime();
            Process process;
            try {
                ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command);
                // as over SSH: the same messages in the same words whatever this machine's language
                builder.environment().put("LC_ALL", "C");
                process = builder.start();
                process.getOutputStream().close();
            } catch (IOException e) {
                return new ProbeResult(command, ProbeResult.NOT_RUN, "", "cannot start /bin/sh: " + e.getMessage(),
                        millisSince(start), false);
            }
            CappedOutput out = new CappedOutput(probe.maxBytes());
            CappedOutput err = new CappedOutput(probe.maxBytes());
            CompletableFuture<Void> outDone = drain(process.getInputStream(), out);
            CompletableFuture<Void> errDone = drain(process.getErrorStream(), err);
            boolean finished;
            String note = "";
            try {
                finished = process.waitFor(probe.timeout().toMillis(), TimeUnit.MILLISECONDS);
                if (!finished) {
                    note = "probe " + probe.name() + " timed out after " + probe.timeout().toMillis()
                            + " ms and was stopped\n";
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                finished = false;
                note = "probe " + probe.name() + " was interrupted\n";
            }
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            try {
                // a grandchild that kept the pipe open must not hold us past the timeout
                CompletableFuture.allOf(outDone, errDone).get(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // the output read so far is what the probe gets; a killed probe's pipes break
            }
            // the exit status of a probe we killed is ours to say, not the kill signal's
            int exit = finished ? process.exitValue() : ProbeResult.TIMED_OUT;
            return new ProbeResult(command, exit, out.text(), note + err.text(), millisSince(start),
                    out.truncated() || err.truncated());
        }

        private CompletableFuture<Void> drain(InputStream in, CappedOutput sink) {
            return CompletableFuture.runAsync(() -> {
                try (in) {
                    sink.drain(in);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, pool);
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
