package dev.chatops.adapters.slack;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.slack.api.socket_mode.SocketModeClient;

/**
 * Whether the Socket Mode connection is up, from what the client itself reports, without pinging
 * Slack (a ping of our own would race the client's monitor for the pong and could make it
 * reconnect for nothing). Up after the client connects and after each {@code hello}; down when the
 * connection closes, except for the close of the old connection after Slack asked the client to
 * move ({@code disconnect}), which comes once the new one is already up.
 */
final class SocketState {

    private boolean up = true;
    private int expectedCloses;

    static SocketState watch(SocketModeClient client) {
        SocketState state = new SocketState();
        client.addWebSocketMessageListener(state::message);
        client.addWebSocketCloseListener((code, reason) -> state.closed());
        return state;
    }

    synchronized boolean up() {
        return up;
    }

    synchronized void message(String text) {
        String type = type(text);
        if (type.equals("hello")) {
            up = true;
        } else if (type.equals("disconnect")) {
            expectedCloses++;
        }
    }

    synchronized void closed() {
        if (expectedCloses > 0) {
            expectedCloses--;
        } else {
            up = false;
        }
    }

    private static String type(String text) {
        try {
            JsonElement e = JsonParser.parseString(text);
            JsonElement type = e.isJsonObject() ? e.getAsJsonObject().get("type") : null;
            if (type != null && type.isJsonPrimitive()) {
                return type.getAsString();
            }
        } catch (RuntimeException malformed) {
            // not ours to judge: the client reports it; for the state it is no news
        }
        return "";
    }
}
