package dev.chatops.core.dispatch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.error.BotException;
import org.junit.jupiter.api.Test;

class CommandTextTest {

    @Test
    void parse_pastedKeyAcrossTheCut_isRedactedBeforeQuotedBack() {
        // the quote is cut at 40 characters, which would leave "sk_live_4eC3", too short to look like a key
        BotException e = assertThrows(BotException.class, () -> CommandText.parse("/nginx502",
                "web-03 " + "a".repeat(20) + " sk_live_4eC39HqLyjWDarjtT1zdp7dc"));

        assertFalse(e.getMessage().contains("4eC3"), e.getMessage());
        assertTrue(e.getMessage().startsWith("too many words in `web-03 aaaaaaaaaaaaaaaaaaaa [REDACTED]`"), e.getMessage());
    }
}
