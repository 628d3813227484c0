package dev.chatops.checks.tls;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/plugins.md quotes this plugin's sources as its worked example; each quote must still be in its file. */
class PluginGuideTest {

    private static final Path GUIDE = Path.of("../docs/plugins.md");
    private static final Pattern QUOTE = Pattern.compile("<!-- (tls-check/\\S+) -->\\n```[a-z]+\\n(.*?)```", Pattern.DOTALL);

    @Test
    void guide_quotesOfTheTlsCheck_areInItsSources() throws Exception {
        Matcher m = QUOTE.matcher(Files.readString(GUIDE));
        int quotes = 0;
        while (m.find()) {
            quotes++;
            Path source = Path.of("..").resolve(m.group(1));
            assertTrue(Files.isRegularFile(source), "docs/plugins.md quotes " + source + ", which does not exist");
            assertTrue(Files.readString(source).contains(m.group(2)), "docs/plugins.md quotes " + m.group(1)
                    + " but it no longer holds:\n" + m.group(2));
        }
        assertTrue(quotes >= 6, "docs/plugins.md quotes the tls check's sources " + quotes + " times; expected 6");
    }
}
