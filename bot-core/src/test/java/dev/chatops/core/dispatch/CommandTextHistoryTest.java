package dev.chatops.core.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chatops.core.error.BotException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommandTextHistoryTest {

    @Test
    void parse_historyAndHost_isTheLastDay() {
        CommandText.HostHistory h = assertInstanceOf(CommandText.HostHistory.class,
                CommandText.parse("/nginx502", " history  web-03 "));
        assertEquals("web-03", h.host());
        assertEquals(Duration.ofHours(24), h.since());
    }

    @Test
    void parse_historyWithSpan_takesMinutesHoursOrDays() {
        assertEquals(Duration.ofDays(7), ((CommandText.HostHistory) CommandText.parse("/nginx502", "history web-03 7d"))
                .since());
        assertEquals(Duration.ofMinutes(30), ((CommandText.HostHistory) CommandText.parse("/nginx502",
                "HISTORY web-03 30M")).since());
    }

    @Test
    void parse_historyMalformed_saysItsOwnUsage() {
        assertEquals("history needs a host name and at most a time span; usage: /nginx502 history <host> [24h|7d]",
                assertThrows(BotException.class, () -> CommandText.parse("/nginx502", "history")).getMessage());
        assertEquals("`$(reboot)` is not a host name (letters, digits, '.', '_', '-' only); usage: /nginx502 history "
                + "<host> [24h|7d]", assertThrows(BotException.class,
                        () -> CommandText.parse("/nginx502", "history $(reboot)")).getMessage());
        assertEquals("`1w` is not a time span like 30m, 24h or 7d; usage: /nginx502 history <host> [24h|7d]",
                assertThrows(BotException.class, () -> CommandText.parse("/nginx502", "history web-03 1w"))
                        .getMessage());
        assertEquals("the time span must be longer than zero and at most 365d; usage: /nginx502 history <host> "
                + "[24h|7d]", assertThrows(BotException.class,
                        () -> CommandText.parse("/nginx502", "history web-03 9999d")).getMessage());
    }
}
