package dev.chatops.checks.nginx502.probe;

import dev.chatops.nginx.probe.ProbeScripts;
import java.util.Map;

/** The probe scripts shipped as resources next to this class: fixed text, with numbers filled in. */
final class Scripts {

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
        String text = ProbeScripts.read(Scripts.class, name);
        for (Map.Entry<String, Long> e : numbers.entrySet()) {
            // only numbers are ever substituted: nothing from a user or a host reaches these scripts
            text = text.replace("@" + e.getKey() + "@", Long.toString(e.getValue()));
        }
        return text;
    }
}
