package dev.chatops.core.dispatch;

/**
 * Hears how a request is getting on while its caller waits, e.g. to tell a Slack user "queued: 3rd
 * in line". Calls may come from any thread; they must return quickly and should not throw (what they
 * throw is logged and ignored).
 */
public interface DispatchListener {

    /** A listener that hears nothing. */
    DispatchListener NONE = new DispatchListener() {
    };

    /**
     * The request waits for a free slot (all are busy, or the host is being checked for someone
     * else); {@code position} 1 means it is next. Called at most once, before {@link #started()}.
     */
    default void queued(int position) {
    }

    /** The run that answers the request has started on the host. Not called for a cached answer. */
    default void started() {
    }
}
