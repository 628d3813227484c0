package dev.chatops.nginx.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The shell functions that find nginx's masters ({@code masters.sh} next to this class), put before a
 * check's own probe script. A plugin that bundles this module under another package finds the script there
 * too: it is looked up next to this class, wherever the class ends up.
 */
public final class NginxMasters {

    private static final String NAME = "masters.sh";

    private NginxMasters() {
    }

    /** The functions' text: defines them and PATH, runs nothing, prints nothing. */
    public static String functions() {
        try (InputStream in = NginxMasters.class.getResourceAsStream(NAME)) {
            if (in == null) {
                throw new IllegalStateException("probe script " + NAME + " is missing from the jar that holds "
                        + NginxMasters.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read probe script " + NAME, e);
        }
    }
}
