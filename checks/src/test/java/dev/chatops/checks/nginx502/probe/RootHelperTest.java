package dev.chatops.checks.nginx502.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.checks.nginx502.Fixtures;
import dev.chatops.checks.nginx502.Nginx502Check;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.HostSetup;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.spi.Settings;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The root helper nginx502-root: what the check reads of its output (strictly, or not at all), the fallback to
 * one sudo call per command, and the script itself run for real (as root, when the tests run as root).
 */
class RootHelperTest {

    private static final Path SCRIPT = Path.of("src/main/resources/dev/chatops/checks/nginx502/probe/nginx502-root");
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    @TempDir
    Path dir;

    private static String output(String listen, String dmesg) {
        return "@@nginx502-root version=1\n"
                + "@@nginx502-root part=listen\n" + listen + "@@nginx502-root exit=0 truncated=0\n"
                + "@@nginx502-root part=kernel-log\n" + dmesg + "@@nginx502-root exit=0 truncated=1\n"
                + "@@nginx502-root part=audit-log\n@@nginx502-root exit=1 truncated=0\n"
                + "!tail: cannot open '/var/log/audit/audit.log' for reading: No such file or directory\n"
                + "@@nginx502-root part=nginx-exe\n|  1 0 lrwxrwxrwx 1 root root 0 Nov 30 19:52 /proc/9/exe -> /usr/sbin/nginx\n"
                + "@@nginx502-root exit=0 truncated=0\n"
                + "@@nginx502-root end\n";
    }

    private static ProbeResult helper(int exit, String stdout) {
        return new ProbeResult("sudo -n " + RootHelper.PATH, exit, stdout, "", 12, false);
    }

    /** The fallback as the check asks for it: the evidence as collected, and the same read through expand. */
    private static List<Probe> fallback(Evidence asRun) {
        return RootHelper.fallback(asRun, RootHelper.expand(asRun));
    }

    private static Evidence evidence(Map<String, ProbeResult> probes) {
        return new Evidence("nginx502", "web-03", Instant.parse("2026-11-30T10:00:00Z"), Duration.ofMinutes(15), probes);
    }

    @Test
    void parse_completeOutput_eachPartAsTheProbeItStandsFor() {
        Map<String, ProbeResult> parts = RootHelper.parse(helper(0, output("|tcp LISTEN 0 511 127.0.0.1:80 0.0.0.0:*\n",
                "|[ 1.0] a\n|\n|[ 2.0] b\n"))).orElseThrow();

        assertEquals(List.of("listen", "kernel-log", "audit-log", "nginx-exe"), List.copyOf(parts.keySet()));
        assertEquals("tcp LISTEN 0 511 127.0.0.1:80 0.0.0.0:*\n", parts.get("listen").stdout());
        assertEquals(0, parts.get("listen").exit());
        assertEquals("[ 1.0] a\n\n[ 2.0] b\n", parts.get("kernel-log").stdout());
        assertTrue(parts.get("kernel-log").truncated());
        assertEquals(1, parts.get("audit-log").exit());
        assertTrue(parts.get("audit-log").stderr().startsWith("tail: cannot open"), parts.get("audit-log").stderr());
        assertTrue(parts.get("nginx-exe").stdout().endsWith("/proc/9/exe -> /usr/sbin/nginx\n"));
    }

    @Test
    void parse_anythingButItsOwnCompleteOutput_isNotRead() {
        String good = output("|x\n", "|y\n");
        // host text that poses as the helper's own lines, an unknown line, a part missing or out of order, cut short
        List<String> bad = List.of(
                good.replace("|y\n", "@@nginx502-root exit=0 truncated=0\n"),
                good.replace("|y\n", "y\n"),
                good.replace("@@nginx502-root part=audit-log\n@@nginx502-root exit=1 truncated=0\n", ""),
                good.replace("part=listen", "part=kernel-log"),
                good.replace("@@nginx502-root end\n", ""),
                good + "|more\n",
                good.replace("exit=0 truncated=0\n@@nginx502-root part=kernel-log", "exit=0 truncated=2\n@@nginx502-root part=kernel-log"),
                good.replace("version=1", "version=2"),
                "");
        for (String text : bad) {
            assertEquals(Optional.empty(), RootHelper.parse(helper(0, text)), text);
        }
        // refused by sudo, not installed, stopped at its timeout, or its output cut: the same
        assertEquals(Optional.empty(), RootHelper.parse(helper(1, good)));
        assertEquals(Optional.empty(), RootHelper.parse(helper(ProbeResult.NOT_RUN, good)));
        assertEquals(Optional.empty(), RootHelper.parse(helper(ProbeResult.TIMED_OUT, good)));
        assertEquals(Optional.empty(), RootHelper.parse(new ProbeResult("x", 0, good, "", 1, true)));
    }

    @Test
    void fallback_helperRefused_theRootCommandsOneByOneOnce() {
        Map<String, ProbeResult> probes = new LinkedHashMap<>();
        probes.put(RootHelper.PROBE, new ProbeResult("sudo -n " + RootHelper.PATH, 1, "",
                "sudo: a password is required\n", 5, false));
        Evidence refused = evidence(probes);

        assertEquals(RootHelper.perProbe(), fallback(refused));
        // once they ran, the follow-up goes on
        Map<String, ProbeResult> ran = new LinkedHashMap<>(probes);
        RootHelper.perProbe().forEach(p -> ran.put(p.name(), new ProbeResult("sudo -n " + p.command(), 0, "", "", 1, false)));
        assertEquals(List.of(), fallback(evidence(ran)));
        // a helper that answered needs none, and evidence without the helper (recorded before it) none either
        assertEquals(List.of(), fallback(evidence(Map.of(RootHelper.PROBE, helper(0, output("", ""))))));
        assertEquals(List.of(), fallback(evidence(Map.of())));
    }

    @Test
    void followUp_roundByRound_fallbackThenTheFollowUpThenNothing() {
        Evidence first = Fixtures.evidence("upstream-down-tcp");
        Map<String, ProbeResult> probes = new LinkedHashMap<>();
        for (String name : List.of(Nginx502Probes.HOST, Nginx502Probes.NGINX, Nginx502Probes.PHP_FPM)) {
            probes.put(name, first.probe(name).orElseThrow());
        }
        probes.put(RootHelper.PROBE, new ProbeResult("sudo -n " + RootHelper.PATH, 1, "", "sudo: a password is required\n",
                5, false));
        Evidence refused = evidence(probes);
        assertEquals(RootHelper.perProbe(), new Nginx502Check().followUp(refused, CheckOptions.defaults()));

        Map<String, ProbeResult> ran = new LinkedHashMap<>(probes);
        RootHelper.perProbe().forEach(p -> ran.put(p.name(), first.probe(p.name())
                .orElse(new ProbeResult("sudo -n " + p.command(), 0, "", "", 1, false))));
        List<Probe> followUp = new Nginx502Check().followUp(evidence(ran), CheckOptions.defaults());
        assertTrue(followUp.stream().anyMatch(p -> p.name().equals(Nginx502Probes.UPSTREAMS)), followUp.toString());

        Map<String, ProbeResult> all = new LinkedHashMap<>(ran);
        followUp.forEach(p -> all.put(p.name(), new ProbeResult(p.command(), 0, "", "", 1, false)));
        assertEquals(List.of(), new Nginx502Check().followUp(evidence(all), CheckOptions.defaults()));
    }

    @Test
    void followUp_asResultsArrive_fallbackAsSoonAsTheHelperFails_theRestOnceAllItIsChosenFromIsIn() {
        Nginx502Check check = new Nginx502Check();
        assertTrue(check.followUpAsResultsArrive());
        Evidence first = Fixtures.evidence("upstream-down-tcp");
        ProbeResult refused = new ProbeResult("sudo -n " + RootHelper.PATH, 1, "", "sudo: a password is required\n",
                5, false);
        // the helper said no while the user probes still run: the root commands start at once
        assertEquals(RootHelper.perProbe(), check.followUp(evidence(Map.of(RootHelper.PROBE, refused)),
                CheckOptions.defaults()));

        Map<String, ProbeResult> probes = new LinkedHashMap<>();
        probes.put(RootHelper.PROBE, refused);
        RootHelper.perProbe().forEach(p -> probes.put(p.name(), first.probe(p.name())
                .orElse(new ProbeResult("sudo -n " + p.command(), 0, "", "", 1, false))));
        probes.put(Nginx502Probes.HOST, first.probe(Nginx502Probes.HOST).orElseThrow());
        probes.put(Nginx502Probes.PHP_FPM, first.probe(Nginx502Probes.PHP_FPM).orElseThrow());
        // nginx's config decides what follows: nothing before it is in
        assertEquals(List.of(), check.followUp(evidence(probes), CheckOptions.defaults()));

        probes.put(Nginx502Probes.NGINX, first.probe(Nginx502Probes.NGINX).orElseThrow());
        ProbeResult lastRootCommand = probes.remove(Nginx502Probes.NGINX_EXE);
        // one root command still running: only it is named (already started, so it does not run twice)
        assertEquals(List.of(Nginx502Probes.NGINX_EXE), check.followUp(evidence(probes), CheckOptions.defaults())
                .stream().map(Probe::name).toList());

        probes.put(Nginx502Probes.NGINX_EXE, lastRootCommand);
        List<Probe> followUp = check.followUp(evidence(probes), CheckOptions.defaults());
        assertTrue(followUp.stream().anyMatch(p -> p.name().equals(Nginx502Probes.UPSTREAMS)), followUp.toString());
    }

    @Test
    void first_rootHelperSettingFalse_theFourCommandsThemselves_elseTheHelper() {
        List<Probe> asked = Nginx502Probes.first(CheckOptions.defaults());
        assertEquals(List.of(RootHelper.PATH), asked.stream().filter(Probe::sudo).map(Probe::command).toList());

        Settings off = Settings.of(List.of(RootHelper.SETTING), Map.of("rootHelper", false));
        List<Probe> without = Nginx502Probes.first(CheckOptions.defaults().withSettings(off));
        assertEquals(RootHelper.perProbe(), without.stream().filter(Probe::sudo).toList());
        assertTrue(without.size() <= 8, without.size() + " probes: more than the channels an SSH connection runs at once");
        // nothing was asked of a helper, so nothing falls back
        Map<String, ProbeResult> ran = new LinkedHashMap<>();
        without.forEach(p -> ran.put(p.name(), new ProbeResult(p.command(), 0, "", "", 1, false)));
        assertEquals(List.of(), fallback(evidence(ran)));
    }

    @Test
    void expand_helperAnswered_partsReadAsTheirProbes_elseTheHelperIsLeftOut() {
        Evidence helped = RootHelper.expand(evidence(Map.of(RootHelper.PROBE, helper(0, output("|l\n", "|k\n")))));
        assertEquals("l\n", helped.stdout(Nginx502Probes.LISTEN));
        assertEquals("k\n", helped.stdout(Nginx502Probes.KERNEL_LOG));

        Map<String, ProbeResult> probes = new LinkedHashMap<>();
        probes.put(RootHelper.PROBE, helper(1, ""));
        probes.put(Nginx502Probes.LISTEN, new ProbeResult("sudo -n ss -ltxnp", 0, "own\n", "", 1, false));
        Evidence fallback = RootHelper.expand(evidence(probes));
        assertFalse(fallback.probes().containsKey(RootHelper.PROBE));
        assertEquals("own\n", fallback.stdout(Nginx502Probes.LISTEN));
    }

    @Test
    void hostSetup_bothHelpersWithTheirExactSudoersLines() {
        HostSetup setup = Nginx502Probes.hostSetup();
        assertTrue(setup.files().stream().anyMatch(f -> f.path().equals(RootHelper.PATH) && f.mode().equals("0755")
                && f.text().startsWith("#!/bin/sh\n")));
        assertTrue(setup.sudoers().contains("chatops ALL=(root) NOPASSWD: /usr/local/libexec/chatops/nginx502-root \"\""),
                setup.sudoers().toString());
        for (String line : setup.sudoers()) {
            assertFalse(line.contains("*") || line.contains(" sh ") || line.contains("env"), line);
        }
        Probe p = RootHelper.probe();
        assertTrue(p.sudo());
        assertEquals(RootHelper.PATH, p.command());
        assertEquals(Optional.empty(), p.sudoProblem());
    }

    @Test
    void script_asRoot_runsTheFourCommandsAndItsOutputIsRead() throws Exception {
        Assumptions.assumeTrue(ROOT, "the helper runs as root only");
        Run r = run(List.of("/bin/sh", SCRIPT.toString()));
        assertEquals(0, r.exit, r.err);

        Map<String, ProbeResult> parts = RootHelper.parse(new ProbeResult(RootHelper.PATH, r.exit, r.out, r.err, 1, false))
                .orElseThrow(() -> new AssertionError(r.out));
        // the same commands, run here directly, exit the same way (find's exit depends on processes that come
        // and go while it runs)
        for (Probe p : RootHelper.perProbe()) {
            if (!p.name().equals(Nginx502Probes.NGINX_EXE)) {
                Run direct = run(List.of("/bin/sh", "-c", p.command()));
                assertEquals(direct.exit, parts.get(p.name()).exit(), p.command() + ": " + parts.get(p.name()).stderr());
            }
        }
        assertTrue(parts.get(Nginx502Probes.NGINX_EXE).stdout().lines().anyMatch(l -> l.matches(".* /proc/\\d+/exe -> /.*")),
                parts.get(Nginx502Probes.NGINX_EXE).stdout());
        assertTrue(parts.get(Nginx502Probes.LISTEN).stdout().startsWith("Netid"), parts.get(Nginx502Probes.LISTEN).stdout());
    }

    @Test
    void script_anyArgumentOrNotRoot_refusedBeforeRunningAnything() throws Exception {
        Path marker = dir.resolve("ran");
        for (List<String> args : List.of(List.of("x"), List.of(""), List.of("-c", "touch " + marker),
                List.of("; touch " + marker))) {
            List<String> argv = new ArrayList<>(List.of("/bin/sh", SCRIPT.toString()));
            argv.addAll(args);
            Run r = run(argv);
            assertEquals(2, r.exit, args + ": " + r.out);
            assertEquals("", r.out);
            assertTrue(r.err.contains("takes no arguments"), r.err);
        }
        if (ROOT && Files.isExecutable(Path.of("/usr/sbin/runuser"))) {
            Run r = run(List.of("/usr/sbin/runuser", "-u", "nobody", "--", "/bin/sh", SCRIPT.toAbsolutePath().toString()));
            assertEquals(2, r.exit, r.out);
            assertEquals("", r.out);
            assertTrue(r.err.contains("must run as root"), r.err);
        }
        assertFalse(Files.exists(marker));
    }

    @Test
    void script_callersEnvironment_changesNothing() throws Exception {
        Assumptions.assumeTrue(ROOT, "the helper runs as root only");
        // a PATH that leads to the caller's own programs named like the helper's
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path marker = dir.resolve("ran");
        for (String name : List.of("ss", "dmesg", "tail", "find", "timeout", "awk", "head", "id", "mktemp")) {
            Path fake = bin.resolve(name);
            Files.writeString(fake, "#!/bin/sh\ntouch " + marker + "\n");
            fake.toFile().setExecutable(true);
        }
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", SCRIPT.toString());
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        pb.environment().put("IFS", "/");
        pb.environment().put("ENV", bin.resolve("ss").toString());
        Run r = run(pb);
        assertEquals(0, r.exit, r.err);
        assertTrue(RootHelper.parse(new ProbeResult(RootHelper.PATH, 0, r.out, r.err, 1, false)).isPresent(), r.out);
        assertFalse(Files.exists(marker), "a program of the caller's PATH ran");
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(List<String> argv) throws IOException, InterruptedException {
        return run(new ProcessBuilder(argv));
    }

    private static Run run(ProcessBuilder pb) throws IOException, InterruptedException {
        Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the helper took over 30 s");
        return new Run(p.exitValue(), out.join(), err.join());
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
