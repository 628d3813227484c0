package dev.chatops.adapters.slack;

import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Random;

/**
 * The Slack bot's kept evidence (for the "Evidence file" button) filled to its bounds, as a serving
 * bot holds it after a busy day: {@link SlackBot#EVIDENCE_REPORTS} reports, {@link SlackBot#EVIDENCE_BYTES}
 * compressed in all. bench/run's sweep holds one while it measures the bot's resident memory, so
 * that the heap it measures carries what the image's heap must have room for. Not a test.
 */
public final class FullKeptEvidence {

    private final KeptEvidence kept;

    private FullKeptEvidence(KeptEvidence kept) {
        this.kept = kept;
    }

    /**
     * Keeps reports whose evidence does not compress (random bytes, base64, in a probe's output)
     * until the store is at least 99 % full; a few seconds of gzip.
     */
    public static FullKeptEvidence fill() {
        KeptEvidence kept = new KeptEvidence(SlackBot.EVIDENCE_REPORTS, SlackBot.EVIDENCE_BYTES);
        long share = SlackBot.EVIDENCE_BYTES / SlackBot.EVIDENCE_REPORTS;
        Random random = new Random(13);
        Instant at = Instant.parse("2026-12-01T08:00:00Z");
        // base64 of random bytes compresses to about 3/4; the first report tells by how much exactly
        kept.keep("R0", at, Optional.of(evidence(random, (int) share)));
        double ratio = (double) kept.bytes() / share;
        int text = (int) (share * 0.995 / ratio);
        for (int i = 1; i < SlackBot.EVIDENCE_REPORTS; i++) {
            kept.keep("R" + i, at.plusSeconds(i), Optional.of(evidence(random, text)));
        }
        FullKeptEvidence full = new FullKeptEvidence(kept);
        if (full.bytes() < SlackBot.EVIDENCE_BYTES * 0.99) {
            throw new IllegalStateException("the kept evidence holds " + full.bytes() + " bytes, not about "
                    + SlackBot.EVIDENCE_BYTES);
        }
        return full;
    }

    /** The compressed bytes kept. */
    public long bytes() {
        return kept.bytes();
    }

    private static String evidence(Random random, int chars) {
        byte[] noise = new byte[chars * 3 / 4];
        random.nextBytes(noise);
        return "{\"probes\":[{\"name\":\"nginx\",\"exit\":0,\"stdout\":\""
                + Base64.getEncoder().encodeToString(noise) + "\"}]}";
    }
}
