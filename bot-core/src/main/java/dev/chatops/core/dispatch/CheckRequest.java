package dev.chatops.core.dispatch;

import static java.util.Objects.requireNonNull;

/**
 * A request to run a check on a host.
 *
 * @param fresh bypass (and refresh) any cached result
 */
public record CheckRequest(String check, String host, boolean fresh, Requester requester) {

    public CheckRequest {
        requireNonNull(check, "check is null");
        requireNonNull(host, "host is null");
        requireNonNull(requester, "requester is null");
    }
}
