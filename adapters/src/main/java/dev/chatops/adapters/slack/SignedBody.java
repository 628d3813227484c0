package dev.chatops.adapters.slack;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.List;
import java.util.Optional;

/**
 * What kind of Slack request a signed body is, beside a slash command: {@code block_actions} (a
 * button pressed) and the other interactive payload types by their {@code type}, {@code
 * event:<type>} for an Events API callback ({@code event:app_home_opened}), or {@code
 * url_verification}. HTTP mode hands the app only the kinds it answers.
 */
final class SignedBody {

    static final String URL_VERIFICATION = "url_verification";

    private SignedBody() {
    }

    /** The body's kind; empty when it is none of these or does not parse. */
    static Optional<String> kind(String body) {
        try {
            if (body.startsWith("{")) {
                JsonObject o = JsonParser.parseString(body).getAsJsonObject();
                String type = text(o.get("type"));
                if (type.equals("event_callback") && o.has("event") && o.get("event").isJsonObject()) {
                    String event = text(o.getAsJsonObject("event").get("type"));
                    return event.isEmpty() ? Optional.empty() : Optional.of("event:" + event);
                }
                return type.equals(URL_VERIFICATION) ? Optional.of(type) : Optional.empty();
            }
            List<String> payload = EventsServlet.formValues(body, "payload");
            if (payload.size() != 1) {
                return Optional.empty();
            }
            String type = text(JsonParser.parseString(payload.get(0)).getAsJsonObject().get("type"));
            return type.isEmpty() ? Optional.empty() : Optional.of(type);
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    private static String text(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : "";
    }
}
