package dev.chatops.checks.nginx502.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.checks.nginx502.Nginx502Check;
import dev.chatops.checks.nginx502.probe.Nginx502Probes;
import dev.chatops.checks.nginx502.probe.RootHelper;
import dev.chatops.core.report.Report;
import dev.chatops.core.spi.HostSetup;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.testkit.CheckHarness;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The whole check on this machine through the testkit's {@link dev.chatops.testkit.ThisMachine} (as root, so its
 * root probes run as root): without the root helper, then with it installed where {@code host-setup nginx502}
 * puts it. Both ways give the same report; only the probes differ.
 */
class ThisMachineHelperTest {

    private static final boolean REQUIRED = Boolean.getBoolean("chatops.requireRealServices");
    private static final Path HELPER = Path.of(RootHelper.PATH);

    @Test
    void runHere_withAndWithoutTheRootHelper_sameReport() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "installs the helper: needs root");
        // the lab and the benchmark install it too, and hold this lock while they do
        try (LabLock lock = LabLock.acquire(REQUIRED)) {
            Assumptions.assumeFalse(Files.exists(HELPER), HELPER + " is installed here already; not touching it");
            CheckHarness harness = CheckHarness.of(new Nginx502Check());

            CheckHarness.Run without = harness.runHere();
            ProbeResult refused = without.evidence().probe(RootHelper.PROBE).orElseThrow();
            assertFalse(refused.ok(), refused.toString());
            assertTrue(without.evidence().probe(Nginx502Probes.LISTEN).isPresent(), "the fallback did not run");

            List<Path> made = install();
            CheckHarness.Run with;
            try {
                with = harness.runHere();
            } finally {
                for (Path p : made) {
                    Files.deleteIfExists(p);
                }
            }
            ProbeResult helper = with.evidence().probe(RootHelper.PROBE).orElseThrow();
            assertEquals(0, helper.exit(), helper.stderr());
            assertFalse(with.evidence().probe(Nginx502Probes.LISTEN).isPresent(), "the fallback ran as well");

            Report a = without.report();
            Report b = with.report();
            assertEquals(a.verdict(), b.verdict(), a.summary() + " / " + b.summary());
            assertEquals(a.summary(), b.summary());
            assertEquals(a.causes().stream().map(c -> c.id()).toList(), b.causes().stream().map(c -> c.id()).toList());
        }
    }

    /** The helper's file from the check's host set-up, root-owned 0755, and the directories made for it (deepest first). */
    private static List<Path> install() throws Exception {
        HostSetup.File file = Nginx502Probes.hostSetup().files().stream().filter(f -> f.path().equals(RootHelper.PATH))
                .findFirst().orElseThrow();
        List<Path> made = new ArrayList<>();
        for (Path dir = HELPER.getParent(); !Files.isDirectory(dir); dir = dir.getParent()) {
            made.add(0, dir);
        }
        for (Path dir : made) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        Files.writeString(HELPER, file.text(), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(HELPER, PosixFilePermissions.fromString("rwxr-xr-x"));
        made.add(HELPER);
        List<Path> deepestFirst = new ArrayList<>(made);
        Collections.reverse(deepestFirst);
        return deepestFirst;
    }
}
