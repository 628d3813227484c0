package dev.chatops.nginx.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Probe scripts shipped as resources next to a class, read from the jar once: every run of a check uses
 * them all. Looked up next to the class given, wherever a plugin's build put it.
 */
public final class ProbeScripts {

    private static final Map<String, String> TEXTS = new ConcurrentHashMap<>();

    private ProbeScripts() {
    }

    /** The text of the script {@code name} next to {@code beside}, as the jar holds it. */
    public static String read(Class<?> beside, String name) {
        return TEXTS.computeIfAbsent(beside.getName() + "/" + name, key -> load(beside, name));
    }

    private static String load(Class<?> beside, String name) {
        try (InputStream in = beside.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("probe script " + name + " is missing from the jar that holds "
                        + beside.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read probe script " + name, e);
        }
    }
}
