package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration the set-up guide (docs/slack.md) tells people to write, taken from the guide
 * itself so the tests break when the guide stops working.
 */
final class DocsConfig {

    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(slack:\\n.*?)```", Pattern.DOTALL);

    private DocsConfig() {
    }

    static Path guide() {
        Path guide = Path.of("").toAbsolutePath().resolve("../docs/slack.md").normalize();
        assertTrue(Files.isRegularFile(guide), "the set-up guide is missing: " + guide);
        return guide;
    }

    static Path manifest() {
        Path manifest = guide().resolveSibling("slack-manifest.yml");
        assertTrue(Files.isRegularFile(manifest), "the app manifest is missing: " + manifest);
        return manifest;
    }

    /** The guide's complete bot.yaml (the first YAML block that has commands: and hosts:). */
    static String complete() {
        try {
            Matcher m = YAML_BLOCK.matcher(Files.readString(guide()));
            while (m.find()) {
                if (m.group(1).contains("\ncommands:") && m.group(1).contains("\nhosts:")) {
                    return m.group(1);
                }
            }
            throw new AssertionError("docs/slack.md has no complete bot.yaml block");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The guide's config pointed at a fake Slack Web API (as slack.apiUrl is documented to do). */
    static String withApiUrl(String yaml, String apiUrl) {
        return replaceOnce(yaml, "slack:\n", "slack:\n  apiUrl: " + apiUrl + "\n");
    }

    /** The guide's config switched to HTTP mode on the given port, as its HTTP section says. */
    static String inHttpMode(String yaml, int port) {
        String http = replaceOnce(yaml, "  mode: socket", "  mode: http");
        return replaceOnce(http, "  port: 3000", "  port: " + port);
    }

    private static String replaceOnce(String text, String what, String with) {
        int at = text.indexOf(what);
        assertTrue(at >= 0, "the guide's config no longer has `" + what.strip() + "`:\n" + text);
        return text.substring(0, at) + with + text.substring(at + what.length());
    }
}
