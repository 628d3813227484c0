package dev.chatops.adapters.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatops.config.SshSettings;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Measures one whole run (open, the batch of {@link ProbeBatchBenchmark#typicalBatch()}, close) on
 * a real sshd with ssh.keepAlive off (a new connection each run) and on (the host's kept
 * connection reused), rounds interleaved. Prints figures; asserts only that every probe ran. Not
 * part of the default build; run it with
 * {@code mvn -B -o -q verify -pl adapters -am -Dtest=KeepAliveBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class KeepAliveBenchmark {

    private static final int WARM_UP = 5;
    private static final int ROUNDS = 40;

    @Test
    void wholeRun_keepAliveOffAgainstOn() throws Exception {
        OpenSshServer.ensureUnprivilegedUser();
        try (OpenSshServer sshd = OpenSshServer.start()) {
            SshSettings off = sshd.settings(OpenSshServer.UNPRIVILEGED_USER, sshd.userKey(), sshd.knownHosts());
            SshSettings on = new SshSettings(off.user(), off.identityFile(), off.identityPassphrase(),
                    off.knownHosts(), off.connectTimeout(), off.commandTimeout(), off.runTimeout(), off.sudo(),
                    off.jumpHost(), Duration.ofSeconds(60));
            List<Probe> batch = ProbeBatchBenchmark.typicalBatch();
            try (SshTransport fresh = new SshTransport(off); SshTransport kept = new SshTransport(on)) {
                List<Long> withOff = new ArrayList<>();
                List<Long> withOn = new ArrayList<>();
                for (int round = 0; round < WARM_UP + ROUNDS; round++) {
                    // alternate which goes first, so neither always profits from a warm host
                    boolean offFirst = round % 2 == 0;
                    for (int k = 0; k < 2; k++) {
                        boolean useOff = (k == 0) == offFirst;
                        long ns = run(useOff ? fresh : kept, sshd, batch);
                        if (round >= WARM_UP) {
                            (useOff ? withOff : withOn).add(ns);
                        }
                    }
                }
                System.out.printf(Locale.ROOT, "%nOne run of %d small probes (open, probes, close), user %s, %d "
                        + "rounds:%n", batch.size(), OpenSshServer.UNPRIVILEGED_USER, ROUNDS);
                System.out.printf(Locale.ROOT, "  ssh.keepAlive off (new connection): median %6.1f ms  p90 %6.1f ms%n",
                        percentile(withOff, 0.5), percentile(withOff, 0.9));
                System.out.printf(Locale.ROOT, "  ssh.keepAlive 60s (kept connection): median %6.1f ms  p90 %6.1f ms%n",
                        percentile(withOn, 0.5), percentile(withOn, 0.9));
            }
        }
    }

    private static long run(SshTransport transport, OpenSshServer sshd, List<Probe> batch) throws Exception {
        long start = System.nanoTime();
        Map<String, ProbeResult> results;
        try (SshSession session = (SshSession) transport.open(sshd.host("web-test"))) {
            results = session.run(batch);
        }
        long ns = System.nanoTime() - start;
        assertEquals(batch.size(), results.size());
        for (ProbeResult r : results.values()) {
            assertEquals(false, r.exit() == ProbeResult.NOT_RUN || r.exit() == ProbeResult.TIMED_OUT, r.stderr());
        }
        return ns;
    }

    private static double percentile(List<Long> nanos, double q) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.round(q * (sorted.size() - 1)))) / 1e6;
    }
}
