package dev.chatops.adapters.slack;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.dispatch.CheckRequest;
import dev.chatops.core.dispatch.Dispatcher;
import dev.chatops.core.dispatch.Requester;
import dev.chatops.core.error.BotException;
import dev.chatops.core.run.CheckRun;

/**
 * How the Slack front end gets a check run, and where it reports what it refused. It is the seam
 * for a dispatcher that queues runs and keeps an audit log: such a dispatcher calls
 * {@link QueueListener#queued} while a run waits its turn (the conversation shows that in the
 * channel), and records the refusals made before a request reaches it.
 */
@FunctionalInterface
public interface CheckRuns {

    /**
     * Runs the request and blocks until it has a report.
     *
     * @param queued told the request's place in line while it waits, and when it starts; may never be called
     * @throws BotException when the request is refused
     */
    CheckRun run(CheckRequest request, QueueListener queued);

    /**
     * A command the front end refused before it reached {@link #run} (text that does not parse, a
     * host or channel not allowed). Nothing ran for it; the default keeps no record.
     *
     * @param check the check the command maps to; {@code host} is what was typed, possibly empty
     */
    default void refused(Requester requester, String check, String host, BotException refusal) {
    }

    /** Hears how a run is getting on while the conversation waits for it; calls may come from any thread. */
    interface QueueListener {
        /** The run waits for others to finish; {@code position} 1 means it is next. */
        default void queued(int position) {
        }

        /** The run has started on the host (after waiting in line, or at once). */
        default void started() {
        }
    }

    /** Runs through {@link Dispatcher#handle}, which never queues. */
    static CheckRuns of(Dispatcher dispatcher) {
        requireNonNull(dispatcher, "dispatcher is null");
        return (request, queued) -> dispatcher.handle(request);
    }
}
