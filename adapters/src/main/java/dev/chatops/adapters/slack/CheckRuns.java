package dev.chatops.adapters.slack;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.dispatch.CheckRequest;
import dev.chatops.core.dispatch.Dispatcher;
import dev.chatops.core.run.CheckRun;

/**
 * How the Slack front end gets a check run. It is the seam for a dispatcher that queues runs:
 * such a dispatcher calls {@link QueueListener#queued} while a run waits its turn, and the
 * conversation shows that in the channel.
 */
@FunctionalInterface
public interface CheckRuns {

    /**
     * Runs the request and blocks until it has a report.
     *
     * @param queued told how many runs are ahead while this one waits; may never be called
     * @throws dev.chatops.core.error.BotException when the request is refused
     */
    CheckRun run(CheckRequest request, QueueListener queued);

    /** Told that a run waits for others to finish. */
    @FunctionalInterface
    interface QueueListener {
        void queued(int ahead);
    }

    /** Runs through {@link Dispatcher#handle}, which never queues. */
    static CheckRuns of(Dispatcher dispatcher) {
        requireNonNull(dispatcher, "dispatcher is null");
        return (request, queued) -> dispatcher.handle(request);
    }
}
