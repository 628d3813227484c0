package dev.chatops.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CauseTest {

    @Test
    void builder_allParts_equalsCanonicalConstructor() {
        Cause built = Cause.of("disk-full", "A filesystem is full")
                .confidence(0.9)
                .detail("/var is 97% full")
                .evidence("df -P", "/dev/sda2 100 97 3 97% /var")
                .evidence("df -i", "inodes 100%", 3)
                .fix(Fix.command("du -xh /var | sort -h | tail"))
                .fix(Fix.directive("max_size 1G;", "/etc/logrotate.conf", 4))
                .build();

        assertEquals(new Cause("disk-full", "A filesystem is full", 0.9, "/var is 97% full",
                List.of(EvidenceLine.once("df -P", "/dev/sda2 100 97 3 97% /var"), new EvidenceLine("df -i", "inodes 100%", 3)),
                List.of(Fix.command("du -xh /var | sort -h | tail"), Fix.directive("max_size 1G;", "/etc/logrotate.conf", 4))),
                built);
    }

    @Test
    void builder_onlyConfidence_hasEmptyDetailNoEvidenceNoFixes() {
        Cause c = Cause.of("x", "X").confidence(0.5).build();

        assertEquals("", c.detail());
        assertTrue(c.evidence().isEmpty());
        assertTrue(c.fixes().isEmpty());
    }

    @Test
    void builder_withoutConfidence_isRefusedNamingTheCause() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Cause.of("disk-full", "t").build());

        assertTrue(e.getMessage().contains("disk-full"), e.getMessage());
    }

    @Test
    void builder_confidenceOutOfRange_isRefusedAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> Cause.of("x", "X").confidence(1.5));
        assertThrows(IllegalArgumentException.class, () -> Cause.of("x", "X").confidence(Double.NaN));
    }

    @Test
    void builder_nulls_areRefused() {
        assertThrows(NullPointerException.class, () -> Cause.of(null, "X"));
        assertThrows(NullPointerException.class, () -> Cause.of("x", "X").detail(null));
        assertThrows(NullPointerException.class, () -> Cause.of("x", "X").fix(null));
        assertThrows(NullPointerException.class, () -> Cause.of("x", "X").evidence(null, "t"));
    }

    @Test
    void builder_laterChanges_doNotReachABuiltCause() {
        Cause.Builder b = Cause.of("x", "X").confidence(0.5).fix(Fix.command("a"));
        Cause first = b.build();
        b.fix(Fix.command("b"));

        assertEquals(1, first.fixes().size());
        assertEquals(2, b.build().fixes().size());
    }

    @Test
    void constructor_copiesLists() {
        List<Fix> fixes = new ArrayList<>(List.of(Fix.command("a")));
        Cause c = new Cause("x", "X", 0.5, "", List.of(), fixes);
        fixes.add(Fix.command("b"));

        assertEquals(1, c.fixes().size());
    }
}
