package dev.chatops.adapters.app;

import static java.util.Objects.requireNonNull;

import java.util.function.Supplier;

/**
 * A store opened when first used, so commands that keep nothing ({@code checks}, {@code replay})
 * neither make a state folder nor wait for a database. An open that fails is tried again on the next
 * use: a database that was down at start may be back. A command that will use it can have it opened
 * ahead, on a thread of its own, while it does its own work.
 */
final class OnFirstUse<T> implements Supplier<T> {

    private final Supplier<T> open;
    private volatile T opened;

    OnFirstUse(Supplier<T> open) {
        this.open = requireNonNull(open, "open is null");
    }

    @Override
    public T get() {
        T t = opened;
        if (t == null) {
            synchronized (this) {
                t = opened;
                if (t == null) {
                    t = open.get();
                    opened = t;
                }
            }
        }
        return t;
    }

    /**
     * Starts opening it now on a thread of its own, so that the first use finds it open (or waits
     * only for the rest of the opening). A failure is left to the first use, which tries again and
     * says what is wrong.
     */
    void openAhead(String threadName) {
        if (opened != null) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                get();
            } catch (RuntimeException e) {
                // the first use opens again and reports the failure where it matters
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
    }
}
