package dev.chatops.adapters.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
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
