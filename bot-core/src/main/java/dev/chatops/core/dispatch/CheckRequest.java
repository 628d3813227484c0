package dev.chatops.core.dispatch;

import static java.util.Objects.requireNonNull;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A request to run a check on a host.
 *
 * @param fresh bypass (and refresh) any cached result
 * @param id    names this request's answer: the history keeps its report under this id, and a front
 *              end that shows the report can refer to it (Slack's buttons do) before it is kept
 */
public record CheckRequest(String check, String host, boolean fresh, Requester requester, String id) {

    /** What an id may look like: it is a key in the history store and part of Slack button values. */
    public static final Pattern ID = Pattern.compile("[a-z0-9]{8,40}");
    private static final SecureRandom IDS = new SecureRandom();

    public CheckRequest {
        requireNonNull(check, "check is null");
        requireNonNull(host, "host is null");
        requireNonNull(requester, "requester is null");
        requireNonNull(id, "id is null");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a request id is 8-40 lower-case letters and digits, not " + id);
        }
    }

    /** A request with a new id of its own. */
    public CheckRequest(String check, String host, boolean fresh, Requester requester) {
        this(check, host, fresh, requester, newId());
    }

    /** A new random id: 16 hex digits. */
    public static String newId() {
        byte[] b = new byte[8];
        IDS.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
