package dev.chatops.core.limit;

import dev.chatops.core.error.BotException;

/** A request was refused because too many are already waiting; nothing runs for it. */
public final class BusyException extends BotException {

    private final int queued;

    public BusyException(int queued) {
        super(Category.EXTERNAL, "the bot is busy: " + queued + (queued == 1 ? " check" : " checks")
                + " queued; try again in a minute");
        this.queued = queued;
    }

    /** How many requests were waiting when this one was refused. */
    public int queued() {
        return queued;
    }
}
