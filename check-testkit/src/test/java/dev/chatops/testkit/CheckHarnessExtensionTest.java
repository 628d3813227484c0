package dev.chatops.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatops.core.spi.Verdict;
import org.junit.jupiter.api.Test;

@TestedCheck(PublicGreetingCheck.class)
class CheckHarnessExtensionTest {

    @Test
    void harness_injectedForTheNamedCheck(CheckHarness harness) {
        assertEquals(Verdict.INCONCLUSIVE, harness.replayResource("evidence/greeting-silent.json").verdict());
    }
}
