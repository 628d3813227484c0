package dev.chatops.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.limit.Limits;
import dev.chatops.core.schedule.Schedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's configuration snippets, taken as written, make one valid configuration. */
class ReadmeConfigTest {

    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

    @Test
    void load_everyYamlBlockOfTheReadme_togetherIsValid(@TempDir Path dir) throws Exception {
        String readme = Files.readString(Path.of("").toAbsolutePath().resolve("../README.md").normalize());
        List<String> blocks = new ArrayList<>();
        Matcher m = YAML_BLOCK.matcher(readme);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        assertTrue(blocks.size() >= 5, "the README's hosts, cache, limits, audit and schedules blocks: " + blocks);
        Path file = dir.resolve("bot.yaml");
        Files.writeString(file, String.join("", blocks));

        BotConfig c = new ConfigLoader(Map.of(), dir).load(file);

        assertEquals(Duration.ofSeconds(60), c.cacheTtl());
        assertEquals(Duration.ofSeconds(5), c.unreachableTtl());
        assertEquals(new Limits(16, 64), c.limits());
        assertEquals(Path.of("/var/log/chatops/audit.jsonl"), c.auditLog().orElseThrow());
        assertEquals(Path.of("/var/lib/chatops"), c.state().dir());
        assertEquals(Duration.ofDays(30), c.state().keep());
        Schedule morning = c.schedule("morning").orElseThrow();
        assertEquals(ZoneId.of("Europe/Berlin"), morning.zone());
        assertEquals("nginx502", morning.check());
        assertEquals(List.of("web-03"), c.hosts().tagged(morning.tags().get(0)).stream().map(h -> h.name()).toList());
    }
}
