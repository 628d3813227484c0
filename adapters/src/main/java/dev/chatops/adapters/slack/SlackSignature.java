package dev.chatops.adapters.slack;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Slack's v0 request signature: HMAC-SHA256 of {@code v0:<timestamp>:<body>} with the signing
 * secret, over the body's bytes exactly as they arrived. A request is trusted only when it
 * carries a valid one and its timestamp is within {@link #WINDOW} of now, either way.
 */
final class SlackSignature {

    /** How far a request's timestamp may be from now; Slack's own rule. */
    static final Duration WINDOW = Duration.ofMinutes(5);

    private final byte[] secret;
    private final Clock clock;

    SlackSignature(String signingSecret, Clock clock) {
        this.secret = requireNonNull(signingSecret, "signingSecret is null").getBytes(StandardCharsets.UTF_8);
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The request's timestamp (seconds) when it is signed and recent; empty when it must be refused. */
    OptionalLong verify(String timestampHeader, String signatureHeader, byte[] body) {
        if (timestampHeader == null || signatureHeader == null || !timestampHeader.matches("\\d{1,12}")
                || !signatureHeader.matches("v0=[0-9a-f]{64}")) {
            return OptionalLong.empty();
        }
        long timestamp = Long.parseLong(timestampHeader);
        if (Math.abs(clock.millis() - timestamp * 1000) >= WINDOW.toMillis()) {
            return OptionalLong.empty();
        }
        byte[] expected = ("v0=" + HexFormat.of().formatHex(mac(timestampHeader, body)))
                .getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signatureHeader.getBytes(StandardCharsets.US_ASCII))
                ? OptionalLong.of(timestamp) : OptionalLong.empty();
    }

    private byte[] mac(String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(("v0:" + timestamp + ":").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
