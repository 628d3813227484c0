package dev.chatops.adapters.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * CPU time, where it is spent: in this JVM (the bot), in the processes this JVM started and
 * waited for (the ssh and parallel-ssh clients), and on the host: the lab's sshd listener, which
 * reaps every connection's sshd, which reaps the commands it ran, so their CPU time adds up in
 * the listener's {@code cutime + cstime} ({@code /proc/PID/stat}).
 */
final class CpuTime {

    private final long sshdPid;
    private final long ticksPerSecond;

    CpuTime(long sshdPid, long ticksPerSecond) {
        this.sshdPid = sshdPid;
        this.ticksPerSecond = ticksPerSecond;
    }

    /** This JVM's own CPU time, every thread, in nanoseconds. */
    static long botNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** CPU time of the finished processes this JVM started, in nanoseconds. */
    long clientsNanos() {
        return childTicks(Path.of("/proc/self/stat")) * TimeUnit.SECONDS.toNanos(1) / ticksPerSecond;
    }

    /**
     * The host side's CPU time so far, in nanoseconds, once the last connection's processes have
     * been reaped: it waits until two readings 50 ms apart agree (at most a second).
     */
    long hostNanos() {
        long last = -1;
        for (int i = 0; i < 20; i++) {
            long now = childTicks(Path.of("/proc", Long.toString(sshdPid), "stat"));
            if (now == last) {
                break;
            }
            last = now;
            try {
                TimeUnit.MILLISECONDS.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return last * TimeUnit.SECONDS.toNanos(1) / ticksPerSecond;
    }

    /**
     * The host side's CPU time including the processes still running under the sshd listener: a kept
     * connection's sshd reaps its own commands, so their CPU reaches the listener only when it closes.
     * The sum over the listener's reaped children and every live descendant's own and reaped CPU stays
     * exact whichever of them ends in between.
     */
    long treeNanos() {
        hostNanos();  // lets the last connection's processes be reaped first
        Map<Long, Long> parent = new HashMap<>();
        Map<Long, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                try {
                    String s = Files.readString(p.resolve("stat"));
                    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                    long pid = Long.parseLong(p.getFileName().toString());
                    parent.put(pid, Long.parseLong(f[4 - 3]));
                    ticks.put(pid, Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]) + Long.parseLong(f[16 - 3])
                            + Long.parseLong(f[17 - 3]));
                } catch (IOException | RuntimeException gone) {
                    // the process ended while being read: its CPU is in its parent's now
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list /proc", e);
        }
        long total = childTicks(Path.of("/proc", Long.toString(sshdPid), "stat"));
        for (Map.Entry<Long, Long> e : ticks.entrySet()) {
            long p = parent.getOrDefault(e.getKey(), 0L);
            for (int depth = 0; p > 1 && depth < 64; depth++) {
                if (p == sshdPid) {
                    total += e.getValue();
                    break;
                }
                p = parent.getOrDefault(p, 0L);
            }
        }
        return total * TimeUnit.SECONDS.toNanos(1) / ticksPerSecond;
    }

    /** cutime + cstime: fields 16 and 17 of stat, counted after the command name in parentheses. */
    private static long childTicks(Path stat) {
        try {
            String s = Files.readString(stat);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[16 - 3]) + Long.parseLong(f[17 - 3]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + stat, e);
        }
    }
}
