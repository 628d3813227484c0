package dev.chatops.adapters.slack;

import static java.util.Objects.requireNonNull;

/**
 * A Slack Web API call (or a {@code response_url} post) that did not succeed, after any retries.
 * {@link #error()} is Slack's error code ({@code not_in_channel}, {@code ratelimited}…) or, for
 * failures below the API, {@code http_503} or {@code io_error}.
 */
final class SlackCallException extends Exception {

    private final String method;
    private final String error;

    SlackCallException(String method, String error, String message) {
        super(method + " failed: " + requireNonNull(message, "message is null"));
        this.method = requireNonNull(method, "method is null");
        this.error = requireNonNull(error, "error is null");
    }

    String method() {
        return method;
    }

    String error() {
        return error;
    }
}
