package dev.chatops.core.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.spi.Probe;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SudoRuleTest {

    @Test
    void words_plainProgramAndArguments_splitWithQuotesDropped() {
        assertEquals(Optional.of(List.of("/usr/sbin/nginx", "-T")), SudoRule.words("/usr/sbin/nginx -T"));
        assertEquals(Optional.of(List.of("cat", "/etc/nginx/nginx.conf")), SudoRule.words("cat '/etc/nginx/nginx.conf'"));
    }

    @Test
    void words_shellSyntax_refused() {
        for (String command : List.of("nginx -T | head", "nginx -T; id", "cat $(id)", "cat `id`", "echo a > /tmp/x",
                "cat 'a b'", "cat 'a;b'", "-n id", " nginx -T", "nginx  -T", "nginx -T\nid", "a && b", "cat *")) {
            assertTrue(SudoRule.words(command).isEmpty(), command);
        }
    }

    @Test
    void problem_namesTheProbeAndSaysItIsABugInTheCheck() {
        String sentence = SudoRule.problem("config", "nginx -T | head").orElseThrow();

        assertTrue(sentence.startsWith("probe config needs root"), sentence);
        assertTrue(sentence.contains("not one program with plain arguments"), sentence);
        assertTrue(sentence.endsWith("this is a bug in the check"), sentence);
        assertEquals(Optional.empty(), SudoRule.problem("config", "nginx -T"));
    }

    @Test
    void sudoProblem_onlyForProbesThatNeedRoot() {
        assertEquals(Optional.empty(), Probe.of("pipe", "ps -e | wc -l").sudoProblem());
        assertEquals(SudoRule.problem("pipe", "ps -e | wc -l"), Probe.of("pipe", "ps -e | wc -l").asRoot().sudoProblem());
        assertEquals(Optional.empty(), Probe.of("ss", "ss -tanp").asRoot().sudoProblem());
    }
}
