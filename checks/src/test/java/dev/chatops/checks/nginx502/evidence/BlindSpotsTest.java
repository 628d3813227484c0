package dev.chatops.checks.nginx502.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.checks.nginx502.Fixtures;
import dev.chatops.checks.nginx502.Nginx502Check;
import dev.chatops.checks.nginx502.probe.Nginx502Probes;
import dev.chatops.core.redact.Redactor;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.spi.Verdict;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Never healthy without evidence: every recorded evidence file, with the logs taken away in each way a
 * real host takes them away (not there, not readable and sudo refused, not in the config at all), must
 * not come out healthy, and the summary must say what could not be read.
 */
class BlindSpotsTest {

    private final Nginx502Check check = new Nginx502Check();

    static Stream<String> fixtures() throws IOException, URISyntaxException {
        Path dir = Path.of(BlindSpotsTest.class.getClassLoader().getResource("evidence").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
            assertTrue(names.size() >= 40, "evidence files: " + names);
            return names.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyFixture_logsUnreadableAndSudoRefused_neverHealthy(String name) {
        Diagnosis d = diagnose(name, out -> replaceLogs(out, "@@nginx502 log-unreadable"), true);
        assertNotEquals(Verdict.HEALTHY, d.verdict(), name + ": " + d.summary());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyFixture_logsMissing_neverHealthy(String name) {
        Diagnosis d = diagnose(name, out -> replaceLogs(out, "@@nginx502 log-missing"), false);
        assertNotEquals(Verdict.HEALTHY, d.verdict(), name + ": " + d.summary());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyFixture_noLogSectionsAtAll_neverHealthy(String name) {
        Diagnosis d = diagnose(name, out -> replaceLogs(out, null), false);
        assertNotEquals(Verdict.HEALTHY, d.verdict(), name + ": " + d.summary());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void everyFixture_errorLogToStderrOutsideSystemd_neverHealthy(String name) {
        Diagnosis d = diagnose(name, out -> replaceLogs(out,
                "@@nginx502 log-uncollected why=the error log is the master's stderr and master 1 is not a systemd "
                        + "service, so no journal keeps it"), false);
        assertNotEquals(Verdict.HEALTHY, d.verdict(), name + ": " + d.summary());
    }

    @Test
    void healthy_unreadableErrorLog_inconclusiveWithTheSudoersLine() {
        Diagnosis d = diagnose("healthy", out -> replaceLogs(out, "@@nginx502 log-unreadable"), true);
        assertEquals(Verdict.INCONCLUSIVE, d.verdict(), d.summary());
        assertTrue(d.summary().startsWith("could not read what nginx on localhost logged in the last 15 min, so it is "
                + "not called healthy: /tmp/nginx502-lab/healthy/logs/error.log is not readable by the bot's user and "
                + "sudo -n tail was refused: add the user to group adm (sudo usermod -aG adm chatops), or allow in "
                + "sudoers, NOPASSWD, exactly: /usr/bin/tail -c 4194304 /tmp/nginx502-lab/healthy/logs/"
                + "error.log"), d.summary());
        // the report redacts what looks like a secret: the fix must come through whole
        assertEquals(d.summary(), Redactor.redact(d.summary()));
        d.notes().stream().filter(n -> n.contains("NOPASSWD")).forEach(n -> assertEquals(n, Redactor.redact(n)));
    }

    @Test
    void healthy_missingErrorLog_inconclusiveSaysHowToReopen() {
        Diagnosis d = diagnose("healthy", out -> replaceLogs(out, "@@nginx502 log-missing"), false);
        assertEquals(Verdict.INCONCLUSIVE, d.verdict(), d.summary());
        assertTrue(d.summary().contains("/tmp/nginx502-lab/healthy/logs/error.log (named in the config of master "),
                d.summary());
        assertTrue(d.summary().contains("-s reopen makes nginx open its logs again"), d.summary());
    }

    @Test
    void healthy_untouched_staysHealthy() {
        // the guard: the same evidence with its logs is still healthy
        Diagnosis d = diagnose("healthy", UnaryOperator.identity(), false);
        assertEquals(Verdict.HEALTHY, d.verdict(), d.summary() + " " + d.notes());
    }

    @Test
    void masterWithoutAFindableBinary_inconclusiveWithTheReason() {
        Diagnosis d = diagnose("healthy", out -> masterOnly(out, "@@nginx502 instance pid=4242 user=root exe=unknown bin= "
                + "prefix= conf=\n@@nginx502 no-binary why=no root-owned nginx binary in the usual places and "
                + "/proc/4242/exe is not readable by this user"), false);
        assertEquals(Verdict.INCONCLUSIVE, d.verdict(), d.summary());
        assertTrue(d.summary().contains("so it is not called healthy: could not find the binary of nginx master 4242: no "
                + "root-owned nginx binary in the usual places and /proc/4242/exe is not readable by this user, so its "
                + "config and logs were not read"), d.summary());
    }

    @Test
    void masterStartedWithAConfigOthersCanWrite_refusedAndInconclusive() {
        Diagnosis d = diagnose("healthy", out -> masterOnly(out, "@@nginx502 instance pid=4242 user=root exe=assumed "
                + "bin=/usr/sbin/nginx prefix= conf=\n@@nginx502 refused arg=-c\n/home/evil/nginx.conf"), false);
        assertEquals(Verdict.INCONCLUSIVE, d.verdict(), d.summary());
        assertTrue(d.summary().contains("nginx master 4242 was started with the config (-c) /home/evil/nginx.conf, which "
                + "root does not own or others can write, so the check did not read it (possible tampering"), d.summary());
    }

    /** The recording's clock and processes, with its one master replaced by {@code instance}. */
    private static String masterOnly(String out, String instance) {
        int at = out.indexOf("@@nginx502 instance ");
        return out.substring(0, at) + instance + "\n";
    }

    private Diagnosis diagnose(String name, UnaryOperator<String> nginxOut, boolean sudoRefused) {
        Evidence real = Fixtures.evidence(name);
        Map<String, ProbeResult> probes = new LinkedHashMap<>();
        for (Map.Entry<String, ProbeResult> e : real.probes().entrySet()) {
            ProbeResult r = e.getValue();
            if (e.getKey().equals(Nginx502Probes.NGINX)) {
                r = new ProbeResult(r.command(), r.exit(), nginxOut.apply(r.stdout()), r.stderr(), r.ms(),
                        r.truncated());
            } else if (e.getKey().startsWith(Nginx502Probes.READ_LOG)) {
                continue;
            }
            probes.put(e.getKey(), r);
        }
        if (sudoRefused) {
            probes.put(Nginx502Probes.READ_LOG + "0", new ProbeResult("sudo -n tail -c 4194304 '/x'", 1, "",
                    "sudo: a password is required", 3, false));
        }
        return check.diagnose(new Evidence(real.check(), real.host(), real.collectedAt(), real.window(), probes));
    }

    /** Each log's sections replaced by {@code state} (or dropped, with its header, when null). */
    static String replaceLogs(String out, String state) {
        List<String> kept = new ArrayList<>();
        boolean inLog = false;
        for (String line : out.split("\n", -1)) {
            if (line.startsWith("@@nginx502 log kind=")) {
                inLog = true;
                if (state != null) {
                    kept.add(line);
                    kept.add(state);
                }
                continue;
            }
            if (line.startsWith("@@nginx502 ")) {
                inLog = line.startsWith("@@nginx502 log-");
                if (inLog) {
                    continue;
                }
            }
            if (!inLog) {
                kept.add(line);
            }
        }
        return String.join("\n", kept);
    }
}
