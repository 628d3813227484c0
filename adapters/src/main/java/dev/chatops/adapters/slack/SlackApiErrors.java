package dev.chatops.adapters.slack;

/** Hears of each Slack call that failed for good (after its retries), for the metrics. */
@FunctionalInterface
public interface SlackApiErrors {

    SlackApiErrors NONE = (method, error) -> {
    };

    /**
     * @param method the Web API method, or {@code response_url}
     * @param error  Slack's error code, or {@code http_503}, {@code io_error}…
     */
    void failed(String method, String error);
}
