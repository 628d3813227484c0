package dev.chatops.checks.nginx502.live;

import dev.chatops.checks.nginx502.probe.RootHelper;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

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

    /**
     * A whole run as the bot's runner makes it: the first batch, then the follow-ups while the check names
     * probes that have not run (at most three rounds). The root helper's probe runs {@code helper}, a copy of
     * it where the test put it (its fixed path is the host's, which a test does not install into).
     *
     * @param asked every probe the check asked for, in order
     */
    static Evidence runCheck(Check check, CheckOptions options, List<String> asUser, Path helper, List<Probe> asked) {
        List<Probe> first = check.probes(options);
        asked.addAll(first);
        Evidence evidence = new Evidence(check.name(), "localhost", Instant.now(), options.window(),
                run(withHelper(first, helper), asUser));
        return followUps(check, evidence, options, more -> run(withHelper(more, helper), asUser), asked);
    }

    /**
     * The follow-up rounds as the bot's runner makes them, from the first batch's evidence: while the check
     * names probes that have not run (at most three rounds), {@code run} runs them.
     *
     * @param asked every follow-up probe the check asked for, in order
     */
    static Evidence followUps(Check check, Evidence first, CheckOptions options,
                              Function<List<Probe>, Map<String, ProbeResult>> run, List<Probe> asked) {
        Evidence all = first;
        for (int round = 0; round < 3; round++) {
            Evidence sofar = all;
            List<Probe> more = check.followUp(sofar, options).stream().filter(p -> sofar.probe(p.name()).isEmpty())
                    .toList();
            if (more.isEmpty()) {
                break;
            }
            asked.addAll(more);
            all = all.plus(run.apply(more));
        }
        return all;
    }

    /** The follow-ups of {@link #followUps} run as {@code asUser} on this machine. */
    static Evidence followUps(Check check, Evidence first, CheckOptions options, List<String> asUser, List<Probe> asked) {
        return followUps(check, first, options, more -> run(more, asUser), asked);
    }

    private static List<Probe> withHelper(List<Probe> probes, Path helper) {
        return probes.stream().map(p -> p.name().equals(RootHelper.PROBE) && p.command().equals(RootHelper.PATH)
                ? new Probe(p.name(), "/bin/sh " + helper, p.timeout(), p.maxBytes(), true) : p).toList();
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
