package dev.chatops.core.transport;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.error.BotException;

/** A host could not be reached or refused us. The message says which host, why, and what to do. */
public final class TransportException extends BotException {

    public enum Reason {
        UNREACHABLE, CONNECTION_REFUSED, TIMEOUT, AUTH_FAILED, HOST_KEY_UNKNOWN, HOST_KEY_CHANGED, CONNECTION_LOST
    }

    private final Reason reason;

    public TransportException(Reason reason, String message) {
        super(Category.EXTERNAL, message);
        this.reason = requireNonNull(reason, "reason is null");
    }

    public TransportException(Reason reason, String message, Throwable cause) {
        super(Category.EXTERNAL, message, cause);
        this.reason = requireNonNull(reason, "reason is null");
    }

    public Reason reason() {
        return reason;
    }
}
