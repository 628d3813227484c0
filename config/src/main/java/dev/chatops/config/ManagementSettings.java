package dev.chatops.config;

import static java.util.Objects.requireNonNull;

/**
 * The management port, where {@code /healthz} and {@code /metrics} are served.
 *
 * @param port where to listen
 * @param bind the address to listen on; loopback by default, as the endpoints have no authentication
 */
public record ManagementSettings(int port, String bind) {

    public static final String DEFAULT_BIND = "127.0.0.1";

    public ManagementSettings {
        requireNonNull(bind, "bind is null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, not " + port);
        }
    }
}
