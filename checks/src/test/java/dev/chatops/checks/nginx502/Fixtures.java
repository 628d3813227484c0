package dev.chatops.checks.nginx502;

import dev.chatops.core.evidence.EvidenceFile;
import dev.chatops.core.spi.Evidence;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Test resources: real nginx -T outputs and recorded evidence files. */
public final class Fixtures {

    private Fixtures() {
    }

    public static String text(String resource) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A saved evidence file from src/test/resources/evidence. */
    public static Evidence evidence(String name) {
        String resource = "evidence/" + name + ".json";
        return EvidenceFile.parse(text(resource), resource);
    }
}
