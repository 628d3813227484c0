package dev.chatops.checks.nginx502.live;

import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs probes on this machine the way a transport does (through /bin/sh, in parallel, cut at their
 * timeout and byte cap), without sudo: a test stand-in for the adapters' local transport, which this
 * module may not depend on.
 */
final class ShellRunner {

    private ShellRunner() {
    }

    static Map<String, ProbeResult> run(List<Probe> probes) {
        return run(probes, List.of());
    }

    /**
     * @param asUser a prefix for probes that do not need root, e.g. {@code runuser -u nobody --}: the
     *               others run as this process's user, like {@code sudo -n} would run them
     */
    static Map<String, ProbeResult> run(List<Probe> probes, List<String> asUser) {
        List<CompletableFuture<ProbeResult>> futures = new ArrayList<>();
        for (Probe p : probes) {
            futures.add(CompletableFuture.supplyAsync(() -> runOne(p, p.sudo() ? List.of() : asUser)));
        }
        Map<String, ProbeResult> out = new LinkedHashMap<>();
        for (int i = 0; i < probes.size(); i++) {
            out.put(probes.get(i).name(), futures.get(i).join());
        }
        return out;
    }

    private static ProbeResult runOne(Probe p, List<String> prefix) {
        long start = System.nanoTime();
        try {
            List<String> argv = new ArrayList<>(prefix);
            argv.addAll(List.of("/bin/sh", "-c", p.command()));
            Process proc = new ProcessBuilder(argv).start();
            proc.getOutputStream().close();
            CompletableFuture<Capped> out = CompletableFuture.supplyAsync(() -> drain(proc.getInputStream(), p.maxBytes()));
            CompletableFuture<Capped> err = CompletableFuture.supplyAsync(() -> drain(proc.getErrorStream(), p.maxBytes()));
            int exit;
            if (proc.waitFor(p.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                exit = proc.exitValue();
            } else {
                proc.descendants().forEach(ProcessHandle::destroyForcibly);
                proc.destroyForcibly();
                exit = ProbeResult.TIMED_OUT;
            }
            Capped o = out.get(5, TimeUnit.SECONDS);
            Capped e = err.get(5, TimeUnit.SECONDS);
            return new ProbeResult(p.command(), exit, o.text, e.text, (System.nanoTime() - start) / 1_000_000,
                    o.truncated || e.truncated);
        } catch (Exception e) {
            return new ProbeResult(p.command(), ProbeResult.NOT_RUN, "", e.toString(), 0, false);
        }
    }

    private record Capped(String text, boolean truncated) {
    }

    private static Capped drain(InputStream in, int max) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        long total = 0;
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                int keep = (int) Math.max(0, Math.min(n, max - total));
                kept.write(buf, 0, keep);
                total += n;
            }
        } catch (IOException e) {
            // the process was killed; keep what came
        }
        return new Capped(kept.toString(StandardCharsets.UTF_8), total > max);
    }
}
