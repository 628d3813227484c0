package dev.chatops.core.cache;

import static java.util.Objects.requireNonNull;

/** What a cached result answers: one check on one host. */
public record RunKey(String check, String host) {

    public RunKey {
        requireNonNull(check, "check is null");
        requireNonNull(host, "host is null");
    }
}
