package dev.chatops.core.testing;

import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Probe;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A check that, like a catastrophic regex on a hostile log line, never finishes diagnosing a
 * {@code status} line containing {@code hostile}: it spins, deaf to interrupts, until the test
 * {@link #release() releases} it. Any other line is healthy.
 */
public final class StuckCheck implements Check {

    public static final String NAME = "stuck";

    private final Semaphore entered = new Semaphore(0);
    private volatile boolean released;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String help() {
        return "Hangs on hostile input.";
    }

    @Override
    public List<Probe> probes(CheckOptions options) {
        return List.of(Probe.of(StatusCheck.PROBE, "cat /run/status"));
    }

    @Override
    public Diagnosis diagnose(Evidence evidence) {
        String line = evidence.stdout(StatusCheck.PROBE);
        if (line.contains("hostile")) {
            entered.release();
            while (!released) {
                Thread.onSpinWait();
            }
            return Diagnosis.healthy("finished after all", List.of());
        }
        return Diagnosis.healthy("status says " + line.trim(), List.of());
    }

    /** Waits (up to 20 s) until a diagnosis has started spinning. */
    public boolean awaitStuck() throws InterruptedException {
        return entered.tryAcquire(20, TimeUnit.SECONDS);
    }

    /** Lets every spinning diagnosis end. */
    public void release() {
        released = true;
    }
}
