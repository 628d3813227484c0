package dev.chatops.config;

import static java.util.Objects.requireNonNull;

/**
 * How to reach Slack. Tokens are {@link Secret}s: they are checked only by {@code serve}, so the
 * command line works without them.
 */
public record SlackSettings(Mode mode, Secret botToken, Secret appToken, Secret signingSecret, int port,
                            String apiUrl) {

    public static final String DEFAULT_API_URL = "https://slack.com/api/";

    public enum Mode { SOCKET, HTTP }

    public SlackSettings {
        requireNonNull(mode, "mode is null");
        requireNonNull(botToken, "botToken is null");
        requireNonNull(appToken, "appToken is null");
        requireNonNull(signingSecret, "signingSecret is null");
        requireNonNull(apiUrl, "apiUrl is null");
    }

    public static SlackSettings unconfigured() {
        return new SlackSettings(Mode.SOCKET, Secret.none("slack.botToken"), Secret.none("slack.appToken"),
                Secret.none("slack.signingSecret"), 3000, DEFAULT_API_URL);
    }
}
