package dev.chatops.core.dispatch;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.error.BotException;
import java.util.Set;

/**
 * Where commands may run and who may run them. An empty set allows any. Requests that do not come
 * from Slack (the command line, schedules) are not subject to it.
 */
public record AccessPolicy(Set<String> channels, Set<String> users) {

    public AccessPolicy {
        channels = Set.copyOf(requireNonNull(channels, "channels is null"));
        users = Set.copyOf(requireNonNull(users, "users is null"));
    }

    public static AccessPolicy open() {
        return new AccessPolicy(Set.of(), Set.of());
    }

    /** @throws BotException (not allowed) saying what is wrong and what is allowed */
    public void check(Requester requester) {
        if (!requester.isSlack()) {
            return;
        }
        if (!channels.isEmpty() && !channels.contains(requester.channel())) {
            throw BotException.notAllowed("checks may not run in this channel; ask in one of the allowed channels ("
                    + String.join(", ", channels.stream().sorted().map(c -> "<#" + c + ">").toList())
                    + ") or ask an admin to add this one to access.channels");
        }
        if (!users.isEmpty() && !users.contains(requester.user())) {
            throw BotException.notAllowed("you are not on the list of users who may run checks (access.users); "
                    + "ask an admin to add you");
        }
    }
}
