package dev.chatops.core.replica;

import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Makes a schedule's sweep due at a time happen once, whichever replica's timer fires. */
public interface SweepSlots {

    /** One process: every slot is its own. */
    SweepSlots LOCAL = new SweepSlots() {
        @Override
        public <T> void once(String schedule, Instant due, Supplier<T> sweep, Consumer<T> post) {
            post.accept(sweep.get());
        }
    };

    /**
     * Sweeps and posts the slot, unless another replica does. While another holds the slot this
     * waits, and takes over if that replica stops renewing its lease before it is done; a replica
     * that lost its lease during the sweep does not post.
     */
    <T> void once(String schedule, Instant due, Supplier<T> sweep, Consumer<T> post);
}
