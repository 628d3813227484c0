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
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * Measures the two ways of running a check's batch over one connection, on a real sshd:
 * one exec channel per probe (in parallel, at most {@link SshSession#PARALLEL_CHANNELS}) against
 * one composed exec. Prints figures; asserts only that both return the same results. Not part of
 * the default build; run it with
 * {@code mvn -B -o -q verify -pl adapters -am -Dtest=ProbeBatchBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ProbeBatchBenchmark {

    private static final int WARM_UP = 3;

    /** Fifteen small read-only probes, like the first batch of the nginx502 check. */
    static List<Probe> typicalBatch() {
        List<String> commands = List.of("command -v nginx || ls /usr/sbin/nginx", "ps -eo pid=,ppid=,user=,args=",
                "ss -ltn", "ss -lxn", "cat /proc/loadavg", "free -b", "df -P /var/log", "ulimit -n",
                "cat /proc/sys/fs/file-nr", "tail -n 200 /etc/services", "uname -r", "id", "date -u +%s",
                "ls -la /etc/nginx 2>&1", "cat /etc/os-release");
        List<Probe> probes = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            probes.add(new Probe("probe-" + i, commands.get(i), Duration.ofSeconds(10), 64 * 1024, false));
        }
        return probes;
    }

    /** Probes whose output cannot change between two runs a few milliseconds apart. */
    private static final List<String> STABLE = List.of("probe-0", "probe-7", "probe-9", "probe-10", "probe-11",
            "probe-13", "probe-14");

    @Test
    void channelsVersusComposedExec_unprivilegedUserWithPlainSh() throws Exception {
        OpenSshServer.ensureUnprivilegedUser();
        try (OpenSshServer sshd = OpenSshServer.start()) {
            measure("user " + OpenSshServer.UNPRIVILEGED_USER + ", login shell /bin/sh, no start-up files (the "
                    + "recommended set-up)", sshd, sshd.settings(OpenSshServer.UNPRIVILEGED_USER, sshd.userKey(),
                    sshd.knownHosts()), 30);
        }
    }

    @Test
    void channelsVersusComposedExec_startupTaking50ms() throws Exception {
        // every session first waits 50 ms, as behind a .bashrc that initialises tool managers
        OpenSshServer.ensureUnprivilegedUser();
        try (OpenSshServer sshd = OpenSshServer.start(List.of("Match User " + OpenSshServer.UNPRIVILEGED_USER,
                "  ForceCommand sleep 0.05; eval \"$SSH_ORIGINAL_COMMAND\""))) {
            measure("user " + OpenSshServer.UNPRIVILEGED_USER + ", every session starting 50 ms late", sshd,
                    sshd.settings(OpenSshServer.UNPRIVILEGED_USER, sshd.userKey(), sshd.knownHosts()), 30);
        }
    }

    @Test
    void channelsVersusComposedExec_rootAsThisMachineSetsItUp() throws Exception {
        // whatever root's login shell and its start-up files cost on this machine
        try (OpenSshServer sshd = OpenSshServer.start()) {
            measure("user root with this machine's own login shell and start-up files", sshd, sshd.settings(), 8);
        }
    }

    private static void measure(String setUp, OpenSshServer sshd, SshSettings settings, int rounds) throws Exception {
        List<Probe> batch = typicalBatch();
        SshTransport transport = new SshTransport(settings);
        List<Long> connects = new ArrayList<>();
        List<Long> channels = new ArrayList<>();
        List<Long> composed = new ArrayList<>();
        for (int round = 0; round < WARM_UP + rounds; round++) {
            long t0 = System.nanoTime();
            try (SshSession session = (SshSession) transport.open(sshd.host("web-test"))) {
                long t1 = System.nanoTime();
                // alternate which goes first, so neither always profits from a warm host
                boolean channelsFirst = round % 2 == 0;
                long[] c = new long[1];
                long[] x = new long[1];
                Map<String, ProbeResult> byChannels = null;
                Map<String, ProbeResult> byScript = null;
                for (int k = 0; k < 2; k++) {
                    if ((k == 0) == channelsFirst) {
                        byChannels = timed(() -> session.run(batch), c);
                    } else {
                        byScript = timed(() -> ComposedExecBatch.run(session.jschSession(), batch, 10), x);
                    }
                }
                if (round >= WARM_UP) {
                    connects.add(t1 - t0);
                    channels.add(c[0]);
                    composed.add(x[0]);
                }
                for (Probe p : batch) {
                    assertEquals(byScript.get(p.name()).exit(), byChannels.get(p.name()).exit(), p.command());
                    if (STABLE.contains(p.name())) {
                        assertEquals(byScript.get(p.name()).stdout(), byChannels.get(p.name()).stdout(), p.command());
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%nBatch of %d small probes over one connection, %s; %d rounds:%n",
                batch.size(), setUp, rounds);
        System.out.printf(Locale.ROOT, "  connect + host key check + auth : median %6.1f ms  p90 %6.1f ms%n",
                median(connects), p90(connects));
        System.out.printf(Locale.ROOT, "  one channel per probe (%d at once): median %6.1f ms  p90 %6.1f ms%n",
                SshSession.PARALLEL_CHANNELS, median(channels), p90(channels));
        System.out.printf(Locale.ROOT, "  one composed exec               : median %6.1f ms  p90 %6.1f ms%n",
                median(composed), p90(composed));
    }

    private static <T> T timed(Callable<T> work, long[] nanos) throws Exception {
        long start = System.nanoTime();
        T result = work.call();
        nanos[0] = System.nanoTime() - start;
        return result;
    }

    private static double median(List<Long> nanos) {
        return percentile(nanos, 0.5);
    }

    private static double p90(List<Long> nanos) {
        return percentile(nanos, 0.9);
    }

    private static double percentile(List<Long> nanos, double q) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.round(q * (sorted.size() - 1)))) / 1e6;
    }
}
