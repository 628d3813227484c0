package dev.chatops.adapters.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThreadLayoutTest {

    @Test
    void split_longText_piecesWithinMaxAndNothingLost() {
        String text = "alpha\n" + "b".repeat(25) + "\ngamma\n\ndelta";
        List<String> pieces = ThreadLayout.split(text, 10);
        pieces.forEach(p -> assertTrue(p.length() <= 10, p));
        assertEquals(text.replace("\n", ""), String.join("", pieces).replace("\n", ""));
        assertEquals("alpha", pieces.get(0), "cut at a line end where the line allows it");
    }

    @Test
    void split_neverCutsAnEscapedCharacterInTwo() {
        String text = "a".repeat(8) + "&amp;" + "b".repeat(8);
        List<String> pieces = ThreadLayout.split(text, 10);
        assertEquals(List.of("a".repeat(8), "&amp;" + "b".repeat(5), "bbb"), pieces);
    }

    @Test
    void code_longerThanASection_continuesInFencedBlocks() {
        String code = ("line with some words\n").repeat(400);
        List<SlackMessage> messages = new ThreadLayout("fallback", 10).code("caption", code).messages();
        assertEquals(1, messages.size());
        List<String> texts = messages.get(0).blocks().stream()
                .map(b -> ((MarkdownTextObject) ((SectionBlock) b).getText()).getText()).toList();
        assertTrue(texts.size() >= 3, "parts: " + texts.size());
        assertTrue(texts.get(0).startsWith("caption\n```"));
        assertTrue(texts.get(1).startsWith("_(continued)_\n```"));
        texts.forEach(t -> {
            assertTrue(t.length() <= BlockKit.MAX_SECTION_TEXT, "section of " + t.length());
            assertTrue(t.endsWith("```"));
        });
    }

    @Test
    void manyBlocks_continueInTheNextMessage_thenTheLastSaysWhatWasLeftOut() {
        ThreadLayout layout = new ThreadLayout("fallback", 2);
        for (int i = 0; i < 100; i++) {
            layout.text("block " + i);
        }
        List<SlackMessage> messages = layout.messages();

        assertEquals(2, messages.size());
        assertEquals(ThreadLayout.BLOCKS_PER_MESSAGE, messages.get(0).blocks().size());
        assertEquals("fallback (1/2)", messages.get(0).text());
        List<com.slack.api.model.block.LayoutBlock> last = messages.get(1).blocks();
        assertEquals(ThreadLayout.BLOCKS_PER_MESSAGE + 1, last.size());
        String note = ((MarkdownTextObject) ((ContextBlock) last.get(last.size() - 1)).getElements().get(0)).getText();
        assertTrue(note.startsWith(":scissors: 10 more blocks did not fit"), note);
        messages.forEach(m -> assertEquals(List.of(), BlockKit.problems(m)));
    }
}
