package dev.chatops.checks.nginx502.evidence;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.spi.Location;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code nginx -t} (or {@code -T}) said about a config: passed, failed with a message that names a
 * file and line, could not run for lack of permission, or was not run.
 */
public record ConfigTest(Outcome outcome, String message, Optional<Location> at) {

    public enum Outcome { PASSED, FAILED, NO_PERMISSION, UNKNOWN }

    private static final Pattern EMERG = Pattern.compile("\\[emerg] (?:\\d+#\\d+: )?(.*?)(?: in (/\\S+):(\\d+))?$");

    public ConfigTest {
        requireNonNull(outcome, "outcome is null");
        requireNonNull(message, "message is null");
        requireNonNull(at, "at is null");
    }

    public static ConfigTest unknown() {
        return new ConfigTest(Outcome.UNKNOWN, "", Optional.empty());
    }

    /** Reads the stderr lines of {@code nginx -t}/{@code -T} and its exit status. */
    public static ConfigTest of(List<String> messages, int exit) {
        boolean successful = messages.stream().anyMatch(l -> l.contains("test is successful"));
        if (exit == 0 && successful) {
            return new ConfigTest(Outcome.PASSED, "", Optional.empty());
        }
        for (String line : messages) {
            Matcher m = EMERG.matcher(line.strip());
            if (!m.find()) {
                continue;
            }
            String msg = m.group(1);
            Optional<Location> at = m.group(2) == null ? Optional.empty()
                    : Optional.of(new Location(m.group(2), Integer.parseInt(m.group(3))));
            boolean permission = msg.contains("(13: ") && (msg.startsWith("open()") || msg.contains("mkdir()")
                    || msg.contains("could not open error log"));
            return new ConfigTest(permission ? Outcome.NO_PERMISSION : Outcome.FAILED, msg, at);
        }
        if (messages.stream().anyMatch(l -> l.contains("test failed"))) {
            return new ConfigTest(Outcome.FAILED, String.join("; ", messages), Optional.empty());
        }
        return unknown();
    }
}
