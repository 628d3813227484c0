package dev.chatops.checks.nginx502.evidence;

import dev.chatops.checks.nginx502.parse.host.BackendCandidates;
import dev.chatops.checks.nginx502.parse.host.TrustFiles;
import dev.chatops.checks.nginx502.probe.FollowUpTargets;
import dev.chatops.checks.nginx502.probe.Nginx502Probes;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Probe;
import dev.chatops.nginx.config.Endpoint;
import dev.chatops.nginx.config.NginxConfig;
import dev.chatops.nginx.log.ErrorKind;
import dev.chatops.nginx.log.ErrorLogLine;
import dev.chatops.nginx.log.LogExcerpt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the follow-up looks at, chosen from what the first batch found. Only what the config names decides where
 * the web host connects: the config's own addresses come first; an address seen only in an error log (clients
 * write into those lines) is tried only when it belongs to a target of the config; listeners near a refused
 * address come last.
 */
public final class FollowUp {

    private FollowUp() {
    }

    /** The follow-up probes for a first batch. */
    public static List<Probe> probes(HostEvidence first, CheckOptions options) {
        return Nginx502Probes.followUp(targets(first), options);
    }

    public static FollowUpTargets targets(HostEvidence first) {
        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        Set<String> tls = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>();
        Set<String> users = new LinkedHashSet<>();
        Set<String> files = new LinkedHashSet<>();
        Map<String, Endpoint> fromLogs = new LinkedHashMap<>();
        Map<String, Endpoint> candidates = new LinkedHashMap<>();
        List<NginxConfig> configs = first.nginx().instances().stream().map(NginxInstance::config).toList();
        for (NginxInstance i : first.nginx().instances()) {
            if (i.container().isPresent()) {
                // its addresses mean something else from the host's network namespace
                continue;
            }
            NginxConfig c = i.config();
            for (NginxConfig.Routed r : c.routes()) {
                r.target().peers().forEach(p -> {
                    endpoints.putIfAbsent(p.endpoint().key(), p.endpoint());
                    if (r.target().tls()) {
                        tls.add(p.endpoint().key());
                    }
                });
            }
            c.endpoints().forEach(e -> endpoints.putIfAbsent(e.key(), e));
            names.addAll(c.hostnames());
            users.add(i.effectiveWorkerUser());
            files.addAll(TrustFiles.toCheck(c));
        }
        for (NginxInstance i : first.nginx().instances()) {
            if (i.container().isPresent()) {
                continue;
            }
            for (LogExcerpt l : i.logs(LogExcerpt.Kind.ERROR)) {
                for (ErrorLogLine e : first.window().errors(l)) {
                    e.upstreamEndpoint().or(e::messageEndpoint).filter(ep -> ofConfigTarget(ep, configs))
                            .filter(ep -> !upstreamBlockName(ep, configs))
                            .ifPresent(ep -> fromLogs.putIfAbsent(ep.key(), ep));
                    // where the backend may really be: listeners near the configured addresses that refused
                    if (e.kind() == ErrorKind.REFUSED) {
                        e.upstreamEndpoint().filter(ep -> !ep.isUnix() && ofConfigTarget(ep, configs)
                                        && !upstreamBlockName(ep, configs))
                                .ifPresent(ep -> BackendCandidates.near(first.listeners(), configs, ep,
                                        "fastcgi".equals(e.upstreamScheme().orElse(""))).stream().limit(4)
                                        .map(x -> BackendCandidates.endpointOf(x, ep))
                                        .forEach(x -> candidates.putIfAbsent(x.key(), x)));
                    }
                }
            }
        }
        fromLogs.forEach(endpoints::putIfAbsent);
        candidates.forEach(endpoints::putIfAbsent);
        List<FollowUpTargets.Upstream> upstreams = endpoints.values().stream()
                .map(e -> new FollowUpTargets.Upstream(e, tls.contains(e.key()))).toList();
        return new FollowUpTargets(upstreams, List.copyOf(names), List.copyOf(files), List.copyOf(users),
                configTests(first.nginx().instances()), first.nginx().containerMasters(), first.nginx().unreadableLogs(),
                first.nginx().unreadableJournals(), first.phpFpm().unreadableLogs());
    }

    /**
     * Root runs {@code nginx -t} again only for a binary root said the master runs, or, with none running, the
     * installed one with its default config (or evidence recorded before that was known).
     */
    private static List<FollowUpTargets.ConfigTestTarget> configTests(List<NginxInstance> instances) {
        List<FollowUpTargets.ConfigTestTarget> out = new ArrayList<>();
        for (int i = 0; i < instances.size(); i++) {
            NginxInstance n = instances.get(i);
            boolean known = n.exe().equals(NginxInstance.VERIFIED) || n.exe().isEmpty()
                    || (!n.running() && n.exe().equals(NginxInstance.INSTALLED) && n.prefixArg().isEmpty()
                    && n.confArg().isEmpty());
            if (known && n.test().outcome() == ConfigTest.Outcome.NO_PERMISSION) {
                out.add(new FollowUpTargets.ConfigTestTarget(i, n.binary(), n.prefixArg(), n.confArg()));
            }
        }
        return out;
    }

    /** Whether an address seen in a log belongs to what a config sends requests to ({@link NginxConfig#leadsTo}). */
    static boolean ofConfigTarget(Endpoint e, List<NginxConfig> configs) {
        return configs.stream().anyMatch(c -> c.leadsTo(e));
    }

    /**
     * A log's "upstream" naming an upstream block ({@code fastcgi://php_backend} in "no live upstreams"): a
     * name for the block's servers, which the config's own addresses already cover; never a host to resolve.
     */
    static boolean upstreamBlockName(Endpoint e, List<NginxConfig> configs) {
        // nginx matches upstream names without regard to case
        return !e.isUnix() && configs.stream().flatMap(c -> c.upstreams().keySet().stream())
                .anyMatch(name -> name.equalsIgnoreCase(e.bareHost()));
    }
}
