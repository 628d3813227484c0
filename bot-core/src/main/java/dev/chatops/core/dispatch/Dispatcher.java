package dev.chatops.core.dispatch;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.error.BotException;
import dev.chatops.core.host.Allowlist;
import dev.chatops.core.host.Host;
import dev.chatops.core.registry.CheckRegistry;
import dev.chatops.core.run.CheckRun;
import dev.chatops.core.run.CheckRunner;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;

/**
 * Takes a request from any front end (Slack, command line, schedule), checks it against the
 * registry, the allowlist and the access policy, and runs it. Refusals are {@link BotException}s
 * whose message says what is wrong and what is allowed; nothing runs for them.
 */
public final class Dispatcher {

    private final CheckRegistry registry;
    private final Allowlist allowlist;
    private final AccessPolicy access;
    private final CheckRunner runner;
    private final CheckOptions options;

    public Dispatcher(CheckRegistry registry, Allowlist allowlist, AccessPolicy access, CheckRunner runner,
                      CheckOptions options) {
        this.registry = requireNonNull(registry, "registry is null");
        this.allowlist = requireNonNull(allowlist, "allowlist is null");
        this.access = requireNonNull(access, "access is null");
        this.runner = requireNonNull(runner, "runner is null");
        this.options = requireNonNull(options, "options is null");
    }

    public CheckRun handle(CheckRequest request) {
        Check check = check(request.check());
        access.check(request.requester());
        Host host = host(request.host());
        return runner.run(check, host, options);
    }

    /** The check of that name, or a refusal listing the loaded ones. */
    public Check check(String name) {
        return registry.find(name).orElseThrow(() -> BotException.badInput("unknown check `" + name
                + "`; loaded checks: " + String.join(", ", registry.names())));
    }

    /** The allowlisted host of that name, or a refusal listing the allowed ones. */
    public Host host(String name) {
        if (!Host.isValidName(name)) {
            throw BotException.badInput("`" + name + "` is not a host name (letters, digits, '.', '_', '-' only)");
        }
        return allowlist.find(name).orElseThrow(() -> BotException.notAllowed("unknown host `" + name
                + "`; hosts that may be checked: " + String.join(", ", allowlist.names())));
    }

    public CheckRegistry registry() {
        return registry;
    }

    public Allowlist allowlist() {
        return allowlist;
    }

    public CheckOptions options() {
        return options;
    }
}
