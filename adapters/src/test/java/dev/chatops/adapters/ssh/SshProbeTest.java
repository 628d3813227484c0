package dev.chatops.adapters.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.config.SshSettings;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.transport.TransportSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Probes over a real OpenSSH sshd: output, exit codes, streams, caps, and the JSch stream traps. */
class SshProbeTest extends RealSshdTest {

    private static Map<String, ProbeResult> run(Probe... probes) throws Exception {
        try (TransportSession session = new SshTransport(sshd.settings()).open(sshd.host("web-test"))) {
            return session.run(List.of(probes));
        }
    }

    @Test
    void run_probes_returnTheirOutputByName() throws Exception {
        Map<String, ProbeResult> r = run(Probe.of("hello", "echo hello"), Probe.of("lines", "printf 'a\\nb\\n'"),
                Probe.of("whoami", "id -un"));

        assertEquals(List.of("hello", "lines", "whoami"), List.copyOf(r.keySet()));
        assertEquals("hello\n", r.get("hello").stdout());
        assertEquals("a\nb\n", r.get("lines").stdout());
        assertEquals("root\n", r.get("whoami").stdout());
        assertEquals("echo hello", r.get("hello").command());
        assertTrue(r.values().stream().allMatch(ProbeResult::ok));
    }

    @Test
    void start_probesAlongsideEachOther_eachResultAsSoonAsItsProbeEnds() throws Exception {
        try (TransportSession session = new SshTransport(sshd.settings()).open(sshd.host("web-test"))) {
            // the slow one ends only once the quick one's answer has started a third probe, as a follow-up would
            String mark = "/tmp/chatops-start-" + java.util.UUID.randomUUID();
            CompletableFuture<ProbeResult> slow = session.start(Probe.of("slow",
                    "i=0; while [ ! -e " + mark + " ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done; "
                            + "rm -f " + mark + "; echo slow $i"));
            ProbeResult quick = session.start(Probe.of("quick", "echo quick")).get(20, TimeUnit.SECONDS);
            assertFalse(slow.isDone(), "the quick probe's result came while the slow one still ran");
            ProbeResult third = session.start(Probe.of("third", "touch " + mark + "; echo third"))
                    .get(20, TimeUnit.SECONDS);

            assertEquals("quick\n", quick.stdout());
            assertEquals("third\n", third.stdout());
            ProbeResult s = slow.get(20, TimeUnit.SECONDS);
            assertTrue(s.stdout().startsWith("slow ") && !s.stdout().equals("slow 100\n"), s.stdout());
        }
    }

    @Test
    void run_exitCodes_reportedPerProbe() throws Exception {
        Map<String, ProbeResult> r = run(Probe.of("three", "exit 3"), Probe.of("false", "false"),
                Probe.of("true", "true"), Probe.of("missing", "no-such-program-here"));

        assertEquals(3, r.get("three").exit());
        assertEquals(1, r.get("false").exit());
        assertEquals(0, r.get("true").exit());
        assertEquals(127, r.get("missing").exit());
    }

    @Test
    void run_stderr_keptApartFromStdout() throws Exception {
        ProbeResult r = run(Probe.of("both", "echo out; echo err >&2; echo out2")).get("both");

        assertEquals("out\nout2\n", r.stdout());
        assertEquals("err\n", r.stderr());
        assertFalse(r.truncated());
    }

    @Test
    void run_outputOverCap_truncatedAndMarked() throws Exception {
        Map<String, ProbeResult> r = run(
                Probe.of("big-out", "head -c 100000 /dev/zero | tr '\\0' x").withMaxBytes(1000),
                Probe.of("big-err", "head -c 5000 /dev/zero | tr '\\0' e >&2; echo ok").withMaxBytes(1000),
                Probe.of("small", "echo fits").withMaxBytes(1000));

        assertEquals("x".repeat(1000), r.get("big-out").stdout());
        assertTrue(r.get("big-out").truncated());
        assertEquals(0, r.get("big-out").exit());
        assertEquals("ok\n", r.get("big-err").stdout());
        assertEquals("e".repeat(1000), r.get("big-err").stderr());
        assertTrue(r.get("big-err").truncated());
        assertFalse(r.get("small").truncated());
    }

    @Test
    void run_multiByteCharacterAtCap_notCutInHalf() throws Exception {
        // "é" is two bytes in UTF-8: a cap of 2 bytes falls inside the first one
        ProbeResult r = run(Probe.of("two", "printf 'a\\303\\251\\303\\251'").withMaxBytes(2)).get("two");

        assertEquals("a", r.stdout());
        assertTrue(r.truncated());
    }

    @Test
    void run_chattyStderr_doesNotStallTheOtherChannels() throws Exception {
        // 20 MB on stderr, far beyond every window and pipe: if any stream of any channel were left
        // unread, JSch's one session thread would block and every probe below would time out
        List<Probe> probes = new ArrayList<>();
        probes.add(new Probe("flood", "head -c 20000000 /dev/zero >&2; echo done", Duration.ofSeconds(8), 1024, false));
        probes.add(new Probe("flood-out", "head -c 20000000 /dev/zero; echo done >&2", Duration.ofSeconds(8), 1024,
                false));
        for (int i = 0; i < 6; i++) {
            probes.add(new Probe("quiet-" + i, "echo " + i, Duration.ofSeconds(8), 1024, false));
        }

        Map<String, ProbeResult> r = run(probes.toArray(Probe[]::new));

        assertEquals(0, r.get("flood").exit(), r.get("flood").stderr());
        assertEquals("done\n", r.get("flood").stdout());
        assertTrue(r.get("flood").truncated());
        assertEquals(1024, r.get("flood").stderr().length());
        assertEquals("done\n", r.get("flood-out").stderr());
        for (int i = 0; i < 6; i++) {
            assertEquals(i + "\n", r.get("quiet-" + i).stdout());
            assertEquals(0, r.get("quiet-" + i).exit());
        }
    }

    @Test
    void execChannel_exitStatusSentLongAfterEndOfOutput_stillRead() throws Exception {
        // the command closes stdout and stderr at once (the server sends EOF) and exits half a
        // second later: whoever takes the exit status at end of output gets JSch's -1 instead of 5.
        // On the raw channel, because the probe wrapper (timeout) keeps the streams open to the end
        try (SshSession session = (SshSession) new SshTransport(sshd.settings()).open(sshd.host("web-test"))) {
            ExecChannel.Outcome o = ExecChannel.run(session.jschSession(),
                    "echo early; exec >&- 2>&-; sleep 0.5; exit 5", 1024, System.nanoTime() + 10_000_000_000L, 5000);

            assertEquals(5, o.exit());
            assertEquals("early\n", o.stdout());
            assertTrue(o.finished());
        }
    }

    @Test
    void run_manyParallelExits_eachReportedExactly() throws Exception {
        List<Probe> probes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            probes.add(Probe.of("exit-" + i, "echo " + i + "; exit " + (i + 1)));
        }

        Map<String, ProbeResult> r = run(probes.toArray(Probe[]::new));

        for (int i = 0; i < 20; i++) {
            assertEquals(i + 1, r.get("exit-" + i).exit(), "probe exit-" + i);
            assertEquals(i + "\n", r.get("exit-" + i).stdout());
        }
    }

    @Test
    void run_probeReadingStdin_seesEndOfInput() throws Exception {
        ProbeResult r = run(new Probe("cat", "cat; echo eof", Duration.ofSeconds(5), 1024, false)).get("cat");

        assertEquals("eof\n", r.stdout());
        assertEquals(0, r.exit());
    }

    @Test
    void run_sleepPastTimeout_cutOffAndStoppedOnTheHost() throws Exception {
        try (TransportSession session = new SshTransport(sshd.settings()).open(sshd.host("web-test"))) {
            long start = System.nanoTime();
            ProbeResult slept = session.run(List.of(new Probe("sleepy", "sleep 31.4159; echo woke",
                    Duration.ofSeconds(1), 1024, false))).get("sleepy");
            long ms = (System.nanoTime() - start) / 1_000_000;

            assertEquals(ProbeResult.TIMED_OUT, slept.exit());
            assertTrue(slept.timedOut());
            assertEquals("", slept.stdout());
            assertTrue(slept.stderr().contains("probe sleepy timed out after 1 s"), slept.stderr());
            assertTrue(ms >= 1000 && ms < 4000, "cut off after " + ms + " ms");
            // nothing is left running on the host: timeout(1) took the command's whole process group
            ProbeResult left = session.run(List.of(Probe.of("left", "pgrep -f 'sleep 31[.]4159' || echo none")))
                    .get("left");
            assertEquals("none\n", left.stdout());
        }
    }

    @Test
    void run_commandTimeout_capsLongerProbeTimeouts() throws Exception {
        SshSettings base = sshd.settings();
        SshSettings tight = new SshSettings(base.user(), base.identityFile(), Optional.empty(), base.knownHosts(),
                base.connectTimeout(), Duration.ofSeconds(1), base.runTimeout(), false, Optional.empty());
        try (TransportSession session = new SshTransport(tight).open(sshd.host("web-test"))) {
            ProbeResult r = session.run(List.of(new Probe("long", "sleep 10", Duration.ofSeconds(30), 1024, false)))
                    .get("long");

            assertEquals(ProbeResult.TIMED_OUT, r.exit());
            assertTrue(r.ms() < 4000, "ran " + r.ms() + " ms");
        }
    }

    @Test
    void run_wholeRun_boundedByRunTimeout() throws Exception {
        SshSettings base = sshd.settings();
        SshSettings shortRun = new SshSettings(base.user(), base.identityFile(), Optional.empty(), base.knownHosts(),
                base.connectTimeout(), Duration.ofSeconds(20), Duration.ofSeconds(2), false, Optional.empty());
        try (TransportSession session = new SshTransport(shortRun).open(sshd.host("web-test"))) {
            long start = System.nanoTime();
            Map<String, ProbeResult> r = session.run(List.of(
                    new Probe("slow-1", "sleep 30", Duration.ofSeconds(20), 1024, false),
                    new Probe("slow-2", "sleep 30", Duration.ofSeconds(20), 1024, false),
                    Probe.of("quick", "echo quick")));
            long ms = (System.nanoTime() - start) / 1_000_000;

            assertTrue(ms < 4000, "the run took " + ms + " ms with runTimeout 2s");
            assertEquals("quick\n", r.get("quick").stdout());
            for (String slow : List.of("slow-1", "slow-2")) {
                assertEquals(ProbeResult.TIMED_OUT, r.get(slow).exit());
                assertTrue(r.get(slow).stderr().contains("ssh.runTimeout"), r.get(slow).stderr());
            }
            // a follow-up batch after the deadline starts nothing
            ProbeResult late = session.run(List.of(Probe.of("follow-up", "echo late"))).get("follow-up");
            assertEquals(ProbeResult.TIMED_OUT, late.exit());
            assertTrue(late.stderr().contains("was not started"), late.stderr());
        }
    }

    @Test
    void run_manyProbesAndAFollowUp_shareOneConnection() throws Exception {
        try (TcpRelay relay = new TcpRelay(sshd.port())) {
            SshSettings base = sshd.settings();
            SshSettings viaRelay = new SshSettings(base.user(), base.identityFile(), Optional.empty(),
                    sshd.knownHosts("known_hosts_relay", "[127.0.0.1]:" + relay.port() + " ssh-ed25519 "
                            + sshd.hostKeyBlob() + "\n"),
                    base.connectTimeout(), base.commandTimeout(), base.runTimeout(), false, Optional.empty());
            List<Probe> batch = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                batch.add(Probe.of("probe-" + i, "echo " + i));
            }
            try (TransportSession session = new SshTransport(viaRelay).open(
                    dev.chatops.core.host.Host.ssh("web-test", "127.0.0.1", relay.port(), java.util.Set.of()))) {
                Map<String, ProbeResult> first = session.run(batch);
                Map<String, ProbeResult> followUp = session.run(List.of(Probe.of("follow-up", "echo again")));

                assertEquals(15, first.size());
                assertEquals("14\n", first.get("probe-14").stdout());
                assertEquals("again\n", followUp.get("follow-up").stdout());
            }
            assertEquals(1, relay.accepted());
        }
    }

    @Test
    void hostKeyFingerprint_isTheVerifiedKeyAsOpenSshPrintsIt() throws Exception {
        try (TransportSession session = new SshTransport(sshd.settings()).open(sshd.host("web-test"))) {
            assertEquals(Optional.of("ssh-ed25519 " + sshd.hostKeyFingerprintByKeygen()),
                    session.hostKeyFingerprint());
        }
    }
}
