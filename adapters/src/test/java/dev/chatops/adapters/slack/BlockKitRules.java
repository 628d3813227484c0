package dev.chatops.adapters.slack;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Slack's published limits for a message, checked on the JSON that was actually sent, written
 * apart from the production layout so the two cannot share a mistake.
 */
final class BlockKitRules {

    private static final Set<String> KNOWN = Set.of("section", "header", "context", "divider", "actions");

    private BlockKitRules() {
    }

    static List<String> violations(FakeSlackApi.Call call) {
        return violations(call.text(), call.blocks());
    }

    /** The limits a message with this top-level text and these blocks (as sent) breaks. */
    static List<String> violations(String text, Optional<JsonArray> blocks) {
        List<String> out = new ArrayList<>();
        if (blocks.isEmpty() && text.isEmpty()) {
            out.add("no text and no blocks");
        }
        if (text.length() > 40_000) {
            out.add("text longer than 40000: " + text.length());
        }
        blocks.ifPresent(b -> check(b, out));
        return out;
    }

    private static void check(JsonArray blocks, List<String> out) {
        if (blocks.size() > 50) {
            out.add("more than 50 blocks: " + blocks.size());
        }
        for (int i = 0; i < blocks.size(); i++) {
            JsonObject b = blocks.get(i).getAsJsonObject();
            String type = b.get("type").getAsString();
            String where = type + " block " + i;
            if (!KNOWN.contains(type)) {
                out.add(where + ": unexpected type");
                continue;
            }
            if (b.has("block_id") && b.get("block_id").getAsString().length() > 255) {
                out.add(where + ": block_id longer than 255");
            }
            switch (type) {
                case "section" -> {
                    if (!b.has("text") && !b.has("fields")) {
                        out.add(where + ": neither text nor fields");
                    }
                    if (b.has("text")) {
                        textObject(b.getAsJsonObject("text"), 3000, Set.of("mrkdwn", "plain_text"), where, out);
                    }
                    if (b.has("fields")) {
                        JsonArray fields = b.getAsJsonArray("fields");
                        if (fields.size() > 10) {
                            out.add(where + ": more than 10 fields");
                        }
                        fields.forEach(f -> textObject(f.getAsJsonObject(), 2000, Set.of("mrkdwn", "plain_text"), where,
                                out));
                    }
                }
                case "header" -> textObject(b.getAsJsonObject("text"), 150, Set.of("plain_text"), where, out);
                case "context" -> {
                    JsonArray elements = b.getAsJsonArray("elements");
                    if (elements == null || elements.isEmpty() || elements.size() > 10) {
                        out.add(where + ": needs 1-10 elements");
                    } else {
                        for (JsonElement e : elements) {
                            textObject(e.getAsJsonObject(), 3000, Set.of("mrkdwn", "plain_text"), where, out);
                        }
                    }
                }
                case "actions" -> {
                    JsonArray elements = b.getAsJsonArray("elements");
                    if (elements == null || elements.isEmpty() || elements.size() > 25) {
                        out.add(where + ": needs 1-25 elements");
                    } else {
                        Set<String> ids = new java.util.HashSet<>();
                        for (JsonElement e : elements) {
                            button(e.getAsJsonObject(), where, out);
                            String id = e.getAsJsonObject().has("action_id")
                                    ? e.getAsJsonObject().get("action_id").getAsString() : "";
                            if (!ids.add(id)) {
                                out.add(where + ": action_id " + id + " used twice in one block");
                            }
                        }
                    }
                }
                default -> {
                }
            }
        }
    }

    /** A button: plain text up to 75, action_id up to 255, value up to 2000, style primary or danger. */
    private static void button(JsonObject e, String where, List<String> out) {
        if (!e.has("type") || !e.get("type").getAsString().equals("button")) {
            out.add(where + ": an element that is not a button");
            return;
        }
        textObject(e.getAsJsonObject("text"), 75, Set.of("plain_text"), where + " button", out);
        if (!e.has("action_id") || e.get("action_id").getAsString().isEmpty()
                || e.get("action_id").getAsString().length() > 255) {
            out.add(where + ": button action_id missing or longer than 255");
        }
        if (e.has("value") && e.get("value").getAsString().length() > 2000) {
            out.add(where + ": button value longer than 2000");
        }
        if (e.has("style") && !Set.of("primary", "danger").contains(e.get("style").getAsString())) {
            out.add(where + ": button style " + e.get("style").getAsString() + " is not primary or danger");
        }
    }

    private static void textObject(JsonObject t, int max, Set<String> types, String where, List<String> out) {
        if (t == null) {
            out.add(where + ": missing text object");
            return;
        }
        String type = t.has("type") ? t.get("type").getAsString() : "";
        if (!types.contains(type)) {
            out.add(where + ": text type " + type + " not one of " + types);
        }
        String text = t.has("text") ? t.get("text").getAsString() : "";
        if (text.isEmpty()) {
            out.add(where + ": empty text");
        }
        if (text.length() > max) {
            out.add(where + ": text longer than " + max + ": " + text.length());
        }
    }
}
