package dev.chatops.core.evidence;

import dev.chatops.core.error.BotException;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.ProbeResult;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The saved-evidence file: {@code {"check", "host", "collectedAt", "window", "probes": {NAME:
 * {"command", "exit", "stdout", "stderr", "ms", "truncated"}}}}. Written by {@code --save-evidence},
 * read by {@code replay} and by the checks' tests.
 */
public final class EvidenceFile {

    private EvidenceFile() {
    }

    public static String toJson(Evidence evidence) {
        JsonObject root = new JsonObject();
        root.addProperty("check", evidence.check());
        root.addProperty("host", evidence.host());
        root.addProperty("collectedAt", evidence.collectedAt().toString());
        root.addProperty("window", evidence.window().toString());
        JsonObject probes = new JsonObject();
        evidence.probes().forEach((name, r) -> {
            JsonObject p = new JsonObject();
            p.addProperty("command", r.command());
            p.addProperty("exit", r.exit());
            p.addProperty("stdout", r.stdout());
            p.addProperty("stderr", r.stderr());
            p.addProperty("ms", r.ms());
            p.addProperty("truncated", r.truncated());
            probes.add(name, p);
        });
        root.add("probes", probes);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root) + "\n";
    }

    public static void write(Evidence evidence, Path file) throws IOException {
        Files.writeString(file, toJson(evidence), StandardCharsets.UTF_8);
    }

    /** @throws BotException (bad input) naming the file and what is wrong with it */
    public static Evidence read(Path file) {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw BotException.badInput("cannot read evidence file " + file + ": " + e.getMessage());
        }
        return parse(json, file.toString());
    }

    public static Evidence parse(String json, String source) {
        try {
            JsonObject root = JsonParser.parseString(json).getAsJsonObject();
            JsonObject probes = required(root, "probes", source).getAsJsonObject();
            Map<String, ProbeResult> results = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : probes.entrySet()) {
                JsonObject p = e.getValue().getAsJsonObject();
                String where = "probes." + e.getKey();
                results.put(e.getKey(), new ProbeResult(
                        required(p, "command", source, where).getAsString(),
                        required(p, "exit", source, where).getAsInt(),
                        optional(p, "stdout"),
                        optional(p, "stderr"),
                        p.has("ms") ? p.get("ms").getAsLong() : 0,
                        p.has("truncated") && p.get("truncated").getAsBoolean()));
            }
            Duration window = root.has("window") ? Duration.parse(root.get("window").getAsString())
                    : CheckOptions.DEFAULT_WINDOW;
            return new Evidence(required(root, "check", source).getAsString(),
                    required(root, "host", source).getAsString(),
                    Instant.parse(required(root, "collectedAt", source).getAsString()),
                    window, results);
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException | NumberFormatException
                 | DateTimeParseException e) {
            throw BotException.badInput("evidence file " + source + " is not valid evidence JSON (" + e.getMessage()
                    + "); it must look like {\"check\", \"host\", \"collectedAt\", \"probes\": {...}}");
        }
    }

    private static JsonElement required(JsonObject o, String key, String source) {
        return required(o, key, source, "");
    }

    private static JsonElement required(JsonObject o, String key, String source, String where) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            throw BotException.badInput("evidence file " + source + " lacks \"" + (where.isEmpty() ? "" : where + ".")
                    + key + "\"");
        }
        return e;
    }

    private static String optional(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? "" : e.getAsString();
    }
}
