package dev.chatops.config;

import static java.util.Objects.requireNonNull;

/**
 * How to reach Slack. Tokens are {@link Secret}s: they are checked only by {@code serve}, so the
 * command line works without them.
 *
 * @param port HTTP mode: the port Slack's requests arrive on
 * @param bind HTTP mode: the address the bot listens on; loopback by default, for a reverse proxy
 *             on the same machine that terminates TLS
 */
public record SlackSettings(Mode mode, Secret botToken, Secret appToken, Secret signingSecret, int port,
                            String apiUrl, String bind) {

    public static final String DEFAULT_API_URL = "https://slack.com/api/";
    public static final String DEFAULT_BIND = "127.0.0.1";

    public enum Mode { SOCKET, HTTP }

    public SlackSettings {
        requireNonNull(mode, "mode is null");
        requireNonNull(botToken, "botToken is null");
        requireNonNull(appToken, "appToken is null");
        requireNonNull(signingSecret, "signingSecret is null");
        requireNonNull(apiUrl, "apiUrl is null");
        requireNonNull(bind, "bind is null");
    }

    /** Settings that listen on the default {@code bind} address. */
    public SlackSettings(Mode mode, Secret botToken, Secret appToken, Secret signingSecret, int port, String apiUrl) {
        this(mode, botToken, appToken, signingSecret, port, apiUrl, DEFAULT_BIND);
    }

    public static SlackSettings unconfigured() {
        return new SlackSettings(Mode.SOCKET, Secret.none("slack.botToken"), Secret.none("slack.appToken"),
                Secret.none("slack.signingSecret"), 3000, DEFAULT_API_URL);
    }
}
