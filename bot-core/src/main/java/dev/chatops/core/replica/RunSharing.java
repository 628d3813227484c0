package dev.chatops.core.replica;

import dev.chatops.core.host.Host;
import dev.chatops.core.run.CheckRun;
import dev.chatops.core.run.CheckRunner;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;

/** How a run that this process would start is shared with the other replicas. */
@FunctionalInterface
public interface RunSharing {

    /** One process: every run is its own. */
    RunSharing LOCAL = (check, host, options, fresh, runner) -> runner.run(check, host, options);

    /**
     * Runs {@code check} on {@code host} through {@code runner}, or answers with the run another
     * replica made within the cache's time to live (for a {@code fresh} request, one that started
     * after it was asked), or with the one another replica is making now.
     */
    CheckRun run(Check check, Host host, CheckOptions options, boolean fresh, CheckRunner runner);
}
