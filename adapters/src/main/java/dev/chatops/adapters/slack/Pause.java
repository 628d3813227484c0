package dev.chatops.adapters.slack;

import java.time.Duration;

/** Waiting between retries, a seam so tests see the waits instead of sitting through them. */
@FunctionalInterface
public interface Pause {

    void pause(Duration duration) throws InterruptedException;

    static Pause sleeping() {
        return d -> Thread.sleep(d.toMillis());
    }
}
