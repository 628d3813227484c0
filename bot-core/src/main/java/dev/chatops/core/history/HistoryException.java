package dev.chatops.core.history;

/** The history store could not be read or written; the message says which store and what to do. */
public class HistoryException extends RuntimeException {

    public HistoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
