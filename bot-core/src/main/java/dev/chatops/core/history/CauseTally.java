package dev.chatops.core.history;

import static java.util.Objects.requireNonNull;

/** How often engineers confirmed or rejected one cause: the bot's accuracy in the field. */
public record CauseTally(String check, String causeId, int confirmed, int rejected) {

    public CauseTally {
        requireNonNull(check, "check is null");
        requireNonNull(causeId, "causeId is null");
    }
}
