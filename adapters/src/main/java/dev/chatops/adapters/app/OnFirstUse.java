package dev.chatops.adapters.app;

import static java.util.Objects.requireNonNull;

import java.util.function.Supplier;

/**
 * A store opened when first used, so commands that keep nothing ({@code checks}, {@code replay})
 * neither make a state folder nor wait for a database. An open that fails is tried again on the next
 * use: a database that was down at start may be back.
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
}
