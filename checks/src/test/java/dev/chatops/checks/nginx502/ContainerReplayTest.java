package dev.chatops.checks.nginx502;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.checks.nginx502.parse.container.ContainerScan;
import dev.chatops.checks.nginx502.probe.Nginx502Probes;
import dev.chatops.checks.nginx502.probe.RootHelper;
import dev.chatops.core.evidence.EvidenceFile;
import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.spi.Verdict;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * nginx in a container (recorded by lab/run's container scenarios: the official image's layout in its own
 * namespaces, Docker's json-file log, the root helper installed from host-setup or not allowed by sudo).
 */
class ContainerReplayTest {

    @Test
    void replay_upstreamDownInAContainer_namesTheContainerAndRestartsIt() {
        Diagnosis d = new Nginx502Check().diagnose(Fixtures.evidence("container-upstream-down"));

        assertEquals(Verdict.CAUSE_FOUND, d.verdict(), d.summary() + " " + d.notes());
        Cause first = d.causes().get(0);
        assertEquals("upstream-down", first.id());
        assertTrue(d.summary().startsWith("docker container shop-web-1 (master pid "), d.summary());
        assertEquals("docker restart shop-web-1", first.fixes().get(0).text());
        // the host's ss says nothing about the container's own loopback
        assertFalse(d.summary().contains("nothing listens"), d.summary());
        assertFalse(first.detail().contains("nothing listens"), first.detail());
        assertTrue(d.notes().stream().anyMatch(n -> n.contains("not probed from the host")), d.notes().toString());
    }

    @Test
    void replay_accessLogAFileInsideTheContainer_saysItWasNotRead() {
        // the same recording, where access.log is a plain file inside the container rather than the image's link
        String json = Fixtures.text("evidence/container-upstream-down.json")
                .replace("|/var/log/nginx/access.log /dev/stdout", "|/var/log/nginx/access.log ");
        Evidence e = EvidenceFile.parse(json, "composed");

        Diagnosis d = new Nginx502Check().diagnose(e);

        assertTrue(d.notes().stream().anyMatch(n -> n.contains("writes /var/log/nginx/access.log, a file inside the "
                + "container, which was not read")), d.notes().toString());
    }

    @Test
    void replay_noLogsAtAllReachTheRuntime_neverHealthy() {
        // every log a file inside the container, and nothing in the runtime's log: nothing says it is fine
        Evidence recorded = EvidenceFile.parse(Fixtures.text("evidence/container-upstream-down.json")
                .replace("|/var/log/nginx/access.log /dev/stdout", "|/var/log/nginx/access.log ")
                .replace("|/var/log/nginx/error.log /dev/stderr", "|/var/log/nginx/error.log "), "composed");
        Map<String, ProbeResult> probes = new HashMap<>(recorded.probes());
        ProbeResult helper = probes.get(Nginx502Probes.CONTAINERS);
        String quiet = Stream.of(helper.stdout().split("\n")).filter(l -> !l.startsWith("|{\"log\""))
                .collect(Collectors.joining("\n"));
        probes.put(Nginx502Probes.CONTAINERS, new ProbeResult(helper.command(), helper.exit(), quiet, helper.stderr(),
                helper.ms(), helper.truncated()));
        Evidence e = new Evidence(recorded.check(), recorded.host(), recorded.collectedAt(), recorded.window(), probes);

        Diagnosis d = new Nginx502Check().diagnose(e);

        assertEquals(Verdict.INCONCLUSIVE, d.verdict(), d.summary());
        assertTrue(d.summary().contains("a file inside the container"), d.summary());
    }

    @Test
    void replay_noHelper_inconclusiveNamingTheHelperAndItsSudoersLine() {
        Diagnosis d = new Nginx502Check().diagnose(Fixtures.evidence("container-no-helper"));

        assertEquals(Verdict.INCONCLUSIVE, d.verdict());
        assertTrue(d.summary().contains("runs in a container"), d.summary());
        assertTrue(d.summary().contains(Nginx502Probes.CONTAINER_SUDOERS_LINE), d.summary());
    }

    @Test
    void followUp_containerMaster_runsTheHelperAsOnePlainSudoProgram() {
        Evidence recorded = Fixtures.evidence("container-no-helper");
        // the first batch as a run collects it now (the fixture's own, recorded before the root commands had a
        // probe each, also holds its follow-up)
        Map<String, ProbeResult> firstBatch = new LinkedHashMap<>();
        Stream.concat(Stream.of(Nginx502Probes.HOST, Nginx502Probes.NGINX, Nginx502Probes.PHP_FPM),
                        RootHelper.perProbe().stream().map(Probe::name))
                .forEach(name -> firstBatch.put(name, recorded.probe(name)
                        .orElse(new ProbeResult(name, 0, "", "", 1, false))));
        Evidence first = new Evidence(recorded.check(), recorded.host(), recorded.collectedAt(), recorded.window(),
                firstBatch);

        List<Probe> probes = new Nginx502Check().followUp(first, CheckOptions.defaults());

        Probe helper = probes.stream().filter(p -> p.name().equals(Nginx502Probes.CONTAINERS)).findFirst().orElseThrow();
        assertEquals("/usr/local/libexec/chatops/nginx502-containers", helper.command());
        assertTrue(helper.sudo());
        // nothing of the container's config is probed from the host's network
        assertTrue(probes.stream().filter(p -> p.name().equals(Nginx502Probes.UPSTREAMS))
                .noneMatch(p -> p.command().contains("\ntcp_probe ") || p.command().contains("\nunix_probe ")),
                probes.toString());
    }

    @Test
    void hostSetup_eachHelperAndItsOneSudoersLine() {
        var setup = new Nginx502Check().hostSetup();

        // the container helper, and the root helper that runs every run's root commands in one call
        assertEquals(List.of("chatops ALL=(root) NOPASSWD: /usr/local/libexec/chatops/nginx502-root \"\"",
                "chatops ALL=(root) NOPASSWD: /usr/local/libexec/chatops/nginx502-containers \"\""), setup.sudoers());
        assertEquals(List.of("/usr/local/libexec/chatops/nginx502-root", "/usr/local/libexec/chatops/nginx502-containers"),
                setup.files().stream().map(f -> f.path()).toList());
        for (var f : setup.files()) {
            assertEquals("0755", f.mode(), f.path());
            assertTrue(f.text().startsWith("#!/bin/sh\n"), f.path());
        }
    }
}
