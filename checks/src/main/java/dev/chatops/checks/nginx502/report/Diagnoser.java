package dev.chatops.checks.nginx502.report;

import dev.chatops.checks.nginx502.evidence.ConfigTest;
import dev.chatops.checks.nginx502.evidence.HostEvidence;
import dev.chatops.checks.nginx502.evidence.NginxInstance;
import dev.chatops.checks.nginx502.evidence.NginxScan;
import dev.chatops.checks.nginx502.finding.CauseId;
import dev.chatops.checks.nginx502.finding.Finding;
import dev.chatops.checks.nginx502.incident.AccessStats;
import dev.chatops.checks.nginx502.incident.Failure;
import dev.chatops.checks.nginx502.incident.Incident;
import dev.chatops.checks.nginx502.incident.Texts;
import dev.chatops.checks.nginx502.probe.Nginx502Probes;
import dev.chatops.checks.nginx502.rules.Rule;
import dev.chatops.checks.nginx502.rules.Rules;
import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.nginx.config.Directive;
import dev.chatops.nginx.config.ServerBlock;
import dev.chatops.nginx.log.ErrorKind;
import dev.chatops.nginx.log.ErrorLogLine;
import dev.chatops.nginx.log.LogExcerpt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns the evidence of one run into a diagnosis: nginx missing or stopped, else every rule over every
 * running instance, causes ranked by confidence (one per cause id), and the notes a senior engineer would
 * add: what clients got, which servers are fine, past incidents, what could not be checked.
 */
public final class Diagnoser {

    private Diagnoser() {
    }

    public static Diagnosis diagnose(Evidence evidence) {
        Optional<ProbeResult> probe = evidence.probe(Nginx502Probes.NGINX);
        if (probe.isEmpty() || probe.get().stdout().isBlank()) {
            String why = probe.map(p -> "exit " + p.exit() + (p.stderr().isBlank() ? "" : ": " + firstLine(p.stderr())))
                    .orElse("it did not run");
            return Diagnosis.inconclusive("could not look at nginx on " + evidence.host() + ": the nginx probe failed ("
                    + why + "); run with --save-evidence and look at the probe output", List.of());
        }
        return diagnose(HostEvidence.from(evidence));
    }

    /**
     * The diagnosis of evidence already parsed: the one entry point to the rules, for anything that builds a
     * {@link HostEvidence} itself. Pure: the same evidence always gives the same diagnosis.
     */
    public static Diagnosis diagnose(HostEvidence host) {
        String name = host.host();
        NginxScan scan = host.nginx();
        List<String> problems = new ArrayList<>(host.problems());
        if (!scan.installed()) {
            return Diagnosis.inconclusive("nginx is not installed on " + name + ": no nginx binary in PATH or "
                    + "the usual places, so this host is not the one answering 502. Look at the proxy or load balancer "
                    + "in front of the site", problems);
        }
        scan.ignored().forEach(i -> problems.add("ignored a look-alike: " + i));
        if (!scan.running()) {
            return notRunning(host, problems);
        }
        List<Incident> incidents = scan.instances().stream().filter(NginxInstance::running)
                .map(i -> new Incident(i.container().isPresent() ? host.insideContainer() : host, i)).toList();
        boolean several = incidents.size() > 1;
        // with several masters, a cause of one whose logs show fewer failures than another's explains less of what
        // clients see: its confidence is scaled by that master's share of the failures (at least half), so the
        // master with the 502s leads
        int worst = incidents.stream().mapToInt(Diagnoser::failures).max().orElse(0);
        Map<String, Finding> best = new LinkedHashMap<>();
        for (Incident in : incidents) {
            double share = several && worst > 0 ? 0.5 + 0.5 * failures(in) / worst : 1.0;
            for (Rule r : Rules.ALL) {
                for (Finding f : FixCheck.vet(in, r.apply(in))) {
                    // a master in a container is named by its container even when it is the only one
                    Finding g = several || in.instance().container().isPresent() ? prefixed(f, in.instance(), share) : f;
                    best.merge(g.id(), g, (a, b) -> b.confidence() > a.confidence() ? b : a);
                }
            }
        }
        List<Finding> ranked = best.values().stream().sorted(Comparator.comparingDouble(Finding::confidence).reversed())
                .toList();
        List<String> notes = new ArrayList<>();
        Duration window = host.window().length();
        // what could not be read: never healthy without it
        List<String> blind = new ArrayList<>();
        for (Incident in : incidents) {
            blind.addAll(in.instance().blindSpots(window));
        }
        if (scan.moreMasters()) {
            blind.add("more than four nginx masters run on this host and only the first four were read");
        }
        Set<String> quoted = ranked.isEmpty() ? Set.of() : ranked.get(0).cause().evidence().stream()
                .map(e -> e.source()).collect(Collectors.toSet());
        for (Incident in : incidents) {
            String who = several ? in.instance().label() + ": " : "";
            // what clients got, unless the leading cause already quotes that access log
            if (in.access().stream().noneMatch(a -> quoted.contains(a.path()))) {
                clients(in).ifPresent(c -> notes.add(who + c));
            }
            unaffected(in).ifPresent(c -> notes.add(who + c));
            past(in, window).ifPresent(c -> notes.add(who + c));
            coverage(in).forEach(c -> notes.add(who + c));
        }
        if (scan.moreMasters()) {
            notes.add("more than four nginx masters run on this host; only the first four were looked at");
        } else if (several) {
            notes.add(incidents.size() + " nginx masters run on this host: " + incidents.stream()
                    .map(i -> i.instance().label()).collect(Collectors.joining(", ")));
        }
        notes.addAll(blind);
        for (Incident in : incidents) {
            in.instance().container().ifPresent(c -> notes.add(c.label() + ": the upstream addresses in its config were "
                    + "not probed from the host, where they mean something else (its 127.0.0.1 is the container's own "
                    + "loopback); what listens inside it was not checked"));
            NginxInstance i = in.instance();
            if (i.exe().equals(NginxInstance.ASSUMED)) {
                notes.add("nginx master " + i.pid() + " is assumed to run " + i.binary() + " (could not verify: "
                        + "/proc/" + i.pid() + "/exe is root's to read; allow in sudoers, NOPASSWD, exactly: /usr/bin/"
                        + Nginx502Probes.EXE_COMMAND + ")");
            }
        }
        notes.addAll(problems);
        Set<String> lint = new LinkedHashSet<>();
        incidents.forEach(in -> lint.addAll(Lint.notes(in.config())));
        notes.addAll(lint);
        int gateway = incidents.stream().mapToInt(Incident::gatewayErrors).sum();
        int upstreamErrors = incidents.stream().mapToInt(Incident::upstreamErrorCount).sum();
        String minutes = Texts.minutes(window);
        if (!ranked.isEmpty()) {
            Finding top = ranked.get(0);
            String count = countText(incidents, minutes, top.id());
            List<Cause> causes = ranked.stream().map(Finding::cause).toList();
            return Diagnosis.causes(top.headline() + (count.isEmpty() ? "" : " · " + count), causes, distinct(notes));
        }
        if (upstreamErrors == 0 && gateway == 0 && !blind.isEmpty()) {
            return Diagnosis.inconclusive("could not read what nginx on " + name + " logged in the last "
                    + minutes + ", so it is not called healthy: " + blind.get(0) + (blind.size() > 1 ? " (and "
                    + (blind.size() - 1) + " more in the notes)" : ""), distinct(notes));
        }
        if (upstreamErrors == 0 && gateway == 0) {
            long requests = incidents.stream().mapToLong(Incident::requests).sum();
            notes.add("if users still see 502, it comes from in front of this nginx (a load balancer or CDN that "
                    + "cannot reach it: check its logs for this host) or from the client side (a stale DNS cache, a "
                    + "browser or corporate proxy)");
            return Diagnosis.healthy("no upstream errors and no 502/504 in the last " + minutes + " (" + requests
                    + " requests)", distinct(notes));
        }
        return Diagnosis.inconclusive(inconclusive(incidents, minutes), distinct(notes));
    }

    private static Diagnosis notRunning(HostEvidence host, List<String> problems) {
        Optional<NginxInstance> inst = host.nginx().instances().stream().findFirst();
        List<String> notes = new ArrayList<>(problems);
        String start = host.facts().systemd() ? "sudo systemctl start nginx" : host.facts().hasInitScript("nginx")
                ? "sudo service nginx start" : "sudo " + (host.nginx().binary().isEmpty() ? "nginx" : host.nginx().binary());
        if (inst.isPresent() && inst.get().test().outcome() == ConfigTest.Outcome.FAILED) {
            Incident in = new Incident(host, inst.get());
            List<Finding> found = new ArrayList<>();
            for (Rule r : Rules.NOT_STARTING) {
                found.addAll(FixCheck.vet(in, r.apply(in)));
            }
            if (!found.isEmpty()) {
                found.sort(Comparator.comparingDouble(Finding::confidence).reversed());
                return Diagnosis.causes("nginx is not running on " + host.host() + ": " + found.get(0).headline(),
                        found.stream().map(Finding::cause).toList(), notes);
            }
        }
        notes.add("start it: " + start + (inst.map(i -> i.test().outcome() == ConfigTest.Outcome.PASSED).orElse(false)
                ? " (nginx -t passes)" : ""));
        notes.add("with nginx stopped, clients get connection refused; a 502 they see comes from a proxy or load "
                + "balancer in front of this host that cannot reach nginx");
        return Diagnosis.inconclusive("nginx is not running on " + host.host() + ": no nginx master process", notes);
    }

    private static Finding prefixed(Finding f, NginxInstance i, double share) {
        Cause c = f.cause();
        Cause scaled = share == 1.0 ? c : new Cause(c.id(), c.title(), c.confidence() * share, c.detail(), c.evidence(),
                c.fixes());
        return new Finding(scaled, i.label() + ": " + f.headline());
    }

    /** What one master's logs show going wrong: answers 502/504 and upstream errors in the window. */
    private static int failures(Incident in) {
        return in.gatewayErrors() + in.upstreamErrorCount();
    }

    private static String countText(List<Incident> incidents, String minutes, String topId) {
        Map<Integer, Integer> byStatus = new java.util.TreeMap<>();
        incidents.forEach(in -> in.access().forEach(a -> a.byStatus().forEach((s, n) -> byStatus.merge(s, n,
                Integer::sum))));
        byStatus.keySet().removeIf(s -> s != 502 && s != 504 && s != 500 && s != 503 && s != 9);
        if (byStatus.isEmpty()) {
            int errors = incidents.stream().mapToInt(Incident::upstreamErrorCount).sum();
            long requests = incidents.stream().mapToLong(Incident::requests).sum();
            if (topId.equals(CauseId.WORKER_CONNECTIONS.id()) || topId.equals(CauseId.FD_EXHAUSTED.id())) {
                // refused or dropped connections never reach the access log
                return "connections dropped without an answer in " + minutes;
            }
            return errors == 0 ? "" : errors + " upstream error" + (errors == 1 ? "" : "s") + " in " + minutes
                    + (requests > errors ? ", clients got no 5xx (" + requests + " requests)" : "");
        }
        return byStatus.entrySet().stream().sorted(Map.Entry.<Integer, Integer>comparingByValue().reversed())
                .map(e -> e.getValue() + "× " + AccessStats.status(e.getKey())).collect(Collectors.joining(", "))
                + " in " + minutes;
    }

    private static Optional<String> clients(Incident in) {
        List<String> parts = new ArrayList<>();
        for (AccessStats a : in.access()) {
            if (a.serverErrors() > 0) {
                parts.add(a.serverErrors() + " of " + a.total() + " requests answered " + a.statusText() + " (" + a.path()
                        + (a.servers().size() == 1 ? ", " + a.servers().get(0) : "") + ")");
            }
        }
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("clients got: " + String.join("; ", parts));
    }

    /** Server blocks with their own access log and no 5xx, when another one fails. */
    private static Optional<String> unaffected(Incident in) {
        Set<String> failing = in.failures().stream().filter(f -> f.kind().aboutUpstream()).map(Failure::serverName)
                .collect(Collectors.toSet());
        if (failing.isEmpty() || in.config().servers().size() < 2) {
            return Optional.empty();
        }
        List<String> fine = new ArrayList<>();
        for (ServerBlock s : in.config().servers()) {
            String name = s.shortLabel();
            if (failing.contains(name)) {
                continue;
            }
            boolean ownLogClean = in.access().stream().anyMatch(a -> a.servers().equals(List.of(name))
                    && a.serverErrors() == 0 && a.total() > 0);
            boolean noErrors = in.failures().stream().noneMatch(f -> f.serverName().equals(name));
            if (noErrors && (ownLogClean || in.config().servers().size() <= 4)) {
                long requests = in.access().stream().filter(a -> a.servers().equals(List.of(name)))
                        .mapToLong(AccessStats::total).sum();
                fine.add(name + (requests > 0 ? " (" + requests + " requests, no 5xx)" : ""));
            }
        }
        if (fine.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("only " + String.join(", ", failing) + " is affected; no upstream errors for "
                + String.join(", ", fine));
    }

    private static Optional<String> past(Incident in, Duration window) {
        List<ErrorLogLine> past = in.past();
        if (past.isEmpty()) {
            return Optional.empty();
        }
        ErrorLogLine first = past.get(0);
        ErrorLogLine last = past.get(past.size() - 1);
        Duration ago = Duration.between(in.host().window().instantOf(last.time()), in.host().window().now());
        return Optional.of("past incident, not the current cause: " + in.pastCount() + " upstream errors before the "
                + "last " + Texts.minutes(window) + ", from " + Texts.day(first.time()) + " to " + Texts.day(last.time())
                + " (" + Texts.ago(ago) + "), e.g. " + shortMessage(last));
    }

    private static List<String> coverage(Incident in) {
        List<String> out = new ArrayList<>();
        NginxInstance i = in.instance();
        if (i.configFromFiles() && i.test().outcome() == ConfigTest.Outcome.NO_PERMISSION) {
            out.add("nginx -T could not run as this user (" + i.test().message() + "); the config was read from its "
                    + "files instead");
        }
        in.access().stream().filter(AccessStats::cutAtCap).findFirst().ifPresent(a -> out.add(a.path()
                + " is busy: only its last " + Nginx502Probes.LOG_BYTES / (1024 * 1024) + " MiB were read"));
        if (in.errorsSampled()) {
            out.add("the error log held " + in.errorLinesInWindow() + " lines in the window; counts are from the newest "
                    + "of them");
        }
        for (Directive d : errorLogLevels(in)) {
            out.add("error_log at level " + d.arg(1).orElse("") + " (" + d.file() + ":" + d.line() + ") hides "
                    + "upstream errors, which nginx logs at [error]");
        }
        if (in.gatewayErrors() > 0 && in.upstreamErrorCount() == 0) {
            returns(in).forEach(out::add);
        }
        return out;
    }

    private static List<Directive> errorLogLevels(Incident in) {
        List<Directive> out = new ArrayList<>();
        in.config().main().stream().filter(d -> d.name().equals("error_log")).forEach(d -> {
            String level = d.arg(1).orElse("error");
            if (level.equals("crit") || level.equals("alert") || level.equals("emerg")) {
                out.add(d);
            }
        });
        return out;
    }

    private static List<String> returns(Incident in) {
        List<String> out = new ArrayList<>();
        for (ServerBlock s : in.config().servers()) {
            s.allLocations().forEach(l -> l.directive().all("return").stream()
                    .filter(d -> d.arg(0).map(a -> a.equals("502") || a.equals("504") || a.equals("503")).orElse(false))
                    .forEach(d -> out.add(l.label() + " answers " + d.arg(0).get() + " itself (" + d.file() + ":"
                            + d.line() + ")")));
        }
        return out;
    }

    private static String inconclusive(List<Incident> incidents, String minutes) {
        Map<ErrorKind, Integer> kinds = new LinkedHashMap<>();
        incidents.forEach(in -> in.failures().forEach(f -> kinds.merge(f.kind(), f.count(), Integer::sum)));
        int gateway = incidents.stream().mapToInt(Incident::gatewayErrors).sum();
        if (kinds.isEmpty()) {
            return gateway + "× 502/504 in the access log in the last " + minutes + " but no upstream error in the error "
                    + "log: look at the error_log level and at what the access log's upstream fields say";
        }
        String seen = kinds.entrySet().stream().map(e -> e.getValue() + "× " + e.getKey().name().toLowerCase()
                .replace('_', ' ')).collect(Collectors.joining(", "));
        return "upstream errors in the last " + minutes + " (" + seen + ") but no cause could be named from the rest of "
                + "the evidence" + (gateway > 0 ? "; clients got " + gateway + "× 502/504" : "");
    }

    private static String shortMessage(ErrorLogLine e) {
        return e.message() + e.upstream().map(u -> ", upstream: \"" + u + "\"").orElse("");
    }

    private static List<String> distinct(List<String> notes) {
        return new ArrayList<>(new LinkedHashSet<>(notes));
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
