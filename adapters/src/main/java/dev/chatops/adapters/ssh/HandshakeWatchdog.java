package dev.chatops.adapters.ssh;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Cuts off connection attempts that outlive their time. JSch bounds each socket read of the
 * handshake by the connect timeout, but not the handshake as a whole, and not at all when the
 * connection runs through a jump host (there is no socket to time out): a server that answers one
 * byte at a time, or a target behind a jump host that never answers, would hold the caller forever.
 */
final class HandshakeWatchdog {

    private static final ScheduledExecutorService TIMER;

    static {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "ssh-handshake-watchdog");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        TIMER = timer;
    }

    private HandshakeWatchdog() {
    }

    /** Runs {@code cutOff} after {@code nanos} unless the returned handle is cancelled first. */
    static ScheduledFuture<?> after(long nanos, Runnable cutOff) {
        return TIMER.schedule(cutOff, Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }
}
