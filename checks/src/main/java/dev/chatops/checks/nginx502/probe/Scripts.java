package dev.chatops.checks.nginx502.probe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The probe scripts shipped as resources next to this class: fixed text, with numbers filled in. */
final class Scripts {

    /** Each script's text as the jar holds it, read once: every run of the check uses them all. */
    private static final Map<String, String> TEXTS = new ConcurrentHashMap<>();

    private Scripts() {
    }

    /** A script with the shell functions of {@code parts} (e.g. {@code seek.sh}) defined before its first line runs. */
    static String load(String name, Map<String, Long> numbers, String... parts) {
        StringBuilder text = new StringBuilder();
        for (String part : parts) {
            text.append(load(part, numbers));
        }
        return text.append(load(name, numbers)).toString();
    }

    static String load(String name, Map<String, Long> numbers) {
        String text = TEXTS.computeIfAbsent(name, Scripts::read);
        for (Map.Entry<String, Long> e : numbers.entrySet()) {
            // only numbers are ever substituted: nothing from a user or a host reaches these scripts
            text = text.replace("@" + e.getKey() + "@", Long.toString(e.getValue()));
        }
        return text;
    }

    private static String read(String name) {
        try (InputStream in = Scripts.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("probe script " + name + " is missing from the checks jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read probe script " + name, e);
        }
    }
}
