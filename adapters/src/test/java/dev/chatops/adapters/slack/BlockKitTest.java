package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BlockKitTest {

    @Test
    void quote_mentionsAndLinks_escaped() {
        assertEquals("&lt;!here&gt; &amp; &lt;https://evil.test|click&gt;", BlockKit.quote("<!here> & <https://evil.test|click>"));
    }

    @Test
    void quoteKeepingMentions_keepsChannelAndUserMentionsOnly() {
        assertEquals("ask in <#C0123ABCD> or <@U0DANA>, not &lt;!channel&gt;",
                BlockKit.quoteKeepingMentions("ask in <#C0123ABCD> or <@U0DANA>, not <!channel>"));
    }

    @Test
    void quote_secrets_redacted() {
        assertEquals("password=[REDACTED] &amp; [REDACTED]",
                BlockKit.quote("password=hunter2 & xoxb-1234567890-abcdefghij"));
    }

    @Test
    void quote_bidiOverride_isShownAsAnEscape() {
        assertEquals("invoice \\u202efdp.exe ok", BlockKit.quote("invoice \u202efdp.exe ok"));
        assertEquals("x \\u2066y\\u2069", BlockKit.codeContent("x \u2066y\u2069"));
    }

    @Test
    void codeContent_tripleBackticks_cannotEndTheBlock() {
        assertEquals("echo `\u200B`\u200B` done", BlockKit.codeContent("echo ``` done"));
    }

    @Test
    void clip_neverSplitsASurrogatePair() {
        assertEquals("ab…", BlockKit.clip("ab🔴cd", 4));
        assertEquals("abc", BlockKit.clip("abc", 3));
    }
}
