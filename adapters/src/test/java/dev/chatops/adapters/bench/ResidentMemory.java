package dev.chatops.adapters.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This JVM's resident memory as the kernel counts it ({@code /proc/self/status}): VmRSS sampled
 * every few milliseconds while it runs, and VmHWM, the peak over the process's life.
 */
final class ResidentMemory implements AutoCloseable {

    private static final Path STATUS = Path.of("/proc/self/status");

    private final AtomicLong peakKib = new AtomicLong();
    private final Thread sampler;
    private volatile boolean stop;

    private ResidentMemory(long everyMillis) {
        sampler = new Thread(() -> {
            while (!stop) {
                peakKib.accumulateAndGet(kib("VmRSS"), Math::max);
                try {
                    TimeUnit.MILLISECONDS.sleep(everyMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
    }

    static ResidentMemory sampleEvery(long millis) {
        ResidentMemory m = new ResidentMemory(millis);
        m.sampler.start();
        return m;
    }

    /** The largest VmRSS sampled so far, in MiB. */
    double peakSampledMib() {
        return peakKib.get() / 1024.0;
    }

    /** VmHWM: the kernel's own peak resident set of this process, in MiB. */
    static double highWaterMib() {
        return kib("VmHWM") / 1024.0;
    }

    static double currentMib() {
        return kib("VmRSS") / 1024.0;
    }

    private static long kib(String field) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + STATUS + " (the benchmark needs Linux)", e);
        }
        throw new IllegalStateException(STATUS + " has no " + field + " line");
    }

    @Override
    public void close() {
        stop = true;
        sampler.interrupt();
    }
}
