package dev.chatops.checks.nginx502.evidence;

import static java.util.Objects.requireNonNull;

import dev.chatops.checks.nginx502.parse.Sections;
import dev.chatops.checks.nginx502.parse.container.ContainerScan;
import dev.chatops.checks.nginx502.parse.host.HostFacts;
import dev.chatops.checks.nginx502.parse.host.KernelEvents;
import dev.chatops.checks.nginx502.parse.host.Listeners;
import dev.chatops.checks.nginx502.parse.host.ProcessTable;
import dev.chatops.checks.nginx502.parse.host.UpstreamChecks;
import dev.chatops.checks.nginx502.parse.phpfpm.PhpFpm;
import dev.chatops.checks.nginx502.probe.Nginx502Probes;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.nginx.log.LogExcerpt;
import dev.chatops.nginx.log.LogWindow;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything the probes of one run found on the host, parsed: the clock and window, nginx (masters,
 * configs, logs), php-fpm, listeners, processes, kernel events and the upstream checks. Built from saved
 * evidence alone, so a replay sees exactly what the live run saw.
 */
public record HostEvidence(String host, LogWindow window, HostFacts facts, NginxScan nginx, ProcessTable processes,
                           Listeners listeners, PhpFpm phpFpm, KernelEvents kernel, UpstreamChecks upstreams,
                           List<String> problems) {

    public HostEvidence {
        requireNonNull(host, "host is null");
        requireNonNull(window, "window is null");
        requireNonNull(facts, "facts is null");
        requireNonNull(nginx, "nginx is null");
        requireNonNull(processes, "processes is null");
        requireNonNull(listeners, "listeners is null");
        requireNonNull(phpFpm, "phpFpm is null");
        requireNonNull(kernel, "kernel is null");
        requireNonNull(upstreams, "upstreams is null");
        problems = List.copyOf(requireNonNull(problems, "problems is null"));
    }

    public static HostEvidence from(Evidence evidence) {
        List<String> problems = new ArrayList<>();
        HostFacts facts = HostFacts.parse(evidence.stdout(Nginx502Probes.HOST));
        String nginxOut = evidence.stdout(Nginx502Probes.NGINX);
        Map<Integer, String> realExes = evidence.probe(Nginx502Probes.NGINX_EXE).map(r -> realExes(r.stdout()))
                .orElse(Map.of());
        NginxScan bare = NginxScan.parse(nginxOut, Map.of(), Map.of(), Map.of(), realExes);
        // the host's clock decides the window: the bot's clock may be off, the logs are written by the host
        Instant now = facts.now().or(() -> bare.hostNow().isPresent()
                ? Optional.of(Instant.ofEpochSecond(bare.hostNow().getAsLong())) : Optional.empty())
                .orElse(evidence.collectedAt());
        ZoneOffset offset = facts.now().isPresent() ? facts.offset() : offsetOf(bare.offset());
        LogWindow window = new LogWindow(now, offset, evidence.window());

        Map<Integer, List<String>> rootTests = new HashMap<>();
        Map<Integer, Integer> rootExits = new HashMap<>();
        Map<String, LogExcerpt> rootLogs = new HashMap<>();
        // what each follow-up read is known by the probe's number, from the same first batch that asked for it
        List<String> logsAsRoot = Nginx502Probes.logsReadAsRoot(bare.unreadableLogs());
        List<String> journalsAsRoot = Nginx502Probes.journalsReadAsRoot(bare.unreadableJournals());
        for (Map.Entry<String, ProbeResult> e : evidence.probes().entrySet()) {
            String name = e.getKey();
            ProbeResult r = e.getValue();
            Optional<String> logRead = readOf(name, Nginx502Probes.READ_LOG, logsAsRoot);
            Optional<String> journalRead = readOf(name, Nginx502Probes.READ_JOURNAL, journalsAsRoot);
            if (name.startsWith(Nginx502Probes.NGINX_TEST)) {
                int index = Integer.parseInt(name.substring(Nginx502Probes.NGINX_TEST.length()));
                List<String> lines = new ArrayList<>(List.of((r.stderr() + "\n" + r.stdout()).split("\n")));
                rootTests.put(index, lines);
                rootExits.put(index, r.exit());
            } else if (logRead.isPresent()) {
                String path = logRead.get();
                if (r.ok()) {
                    boolean cut = r.stdout().length() >= Nginx502Probes.LOG_BYTES || r.truncated();
                    List<NginxScan.LogSource> from = bare.sources().stream().filter(l -> l.file().equals(path)
                            && l.source() != NginxScan.LogSource.Source.JOURNAL).toList();
                    if (from.isEmpty()) {
                        rootLogs.put(path, window.cut(LogExcerpt.Kind.ERROR, path, r.stdout(), cut));
                    }
                    for (NginxScan.LogSource l : from) {
                        // a syslog file holds every program's lines: nginx's, without their prefix
                        String text = l.source() == NginxScan.LogSource.Source.SYSLOG
                                ? String.join("\n", SyslogLines.messages(r.stdout(), l.tag())) : r.stdout();
                        rootLogs.put(l.path(), window.cut(l.kind(), l.path(), text, cut));
                    }
                } else {
                    problems.add("could not read " + path + " even with sudo: " + firstLine(r.stderr()));
                }
            } else if (journalRead.isPresent()) {
                String unit = journalRead.get();
                if (r.ok()) {
                    for (NginxScan.LogSource l : bare.sources()) {
                        if (l.source() == NginxScan.LogSource.Source.JOURNAL && l.unit().equals(unit)) {
                            String text = String.join("\n", SyslogLines.messages(r.stdout(), l.tag()));
                            rootLogs.put(l.path(), window.cut(l.kind(), l.path(), text, r.truncated()));
                        }
                    }
                } else {
                    problems.add("could not read the journal of " + unit + " even with sudo: " + firstLine(r.stderr()));
                }
            }
        }
        Optional<ContainerScan> containers = containers(evidence, window, problems);
        NginxScan nginx = rootTests.isEmpty() && rootLogs.isEmpty() && containers.isEmpty() ? bare
                : NginxScan.parse(nginxOut, rootTests, rootExits, rootLogs, realExes, containers);

        // evidence recorded before the process table moved into the host probe has a probe of its own
        ProcessTable processes = ProcessTable.parse(evidence.probe(Nginx502Probes.PROCESSES).map(ProbeResult::stdout)
                .orElseGet(() -> Sections.first(Sections.parse(evidence.stdout(Nginx502Probes.HOST)), "processes")
                        .map(Sections.Section::text).orElse("")));
        Listeners listeners = listeners(evidence, problems);
        PhpFpm phpFpm = phpFpm(evidence, problems);
        Optional<Instant> boot = facts.uptimeSeconds().isPresent()
                ? Optional.of(now.minusSeconds(facts.uptimeSeconds().getAsLong())) : Optional.empty();
        Optional<ProbeResult> dmesg = evidence.probe(Nginx502Probes.KERNEL_LOG);
        Optional<ProbeResult> audit = evidence.probe(Nginx502Probes.AUDIT_LOG);
        KernelEvents kernel = KernelEvents.parse(dmesg.map(ProbeResult::stdout).orElse(""),
                dmesg.map(ProbeResult::ok).orElse(false),
                dmesg.map(r -> r.stderr().isBlank() ? "exit " + r.exit() : r.stderr()).orElse("not collected"),
                audit.filter(ProbeResult::ok).map(ProbeResult::stdout).orElse(""), boot);
        problems.addAll(kernel.problems());
        UpstreamChecks upstreams = evidence.probe(Nginx502Probes.UPSTREAMS).map(r -> UpstreamChecks.parse(r.stdout()))
                .orElse(UpstreamChecks.none());
        return new HostEvidence(evidence.host(), window, facts, nginx, processes, listeners, phpFpm, kernel, upstreams,
                problems);
    }

    /** The Nth of {@code asked} for a follow-up probe named {@code prefix + N}. */
    private static Optional<String> readOf(String probe, String prefix, List<String> asked) {
        OptionalInt n = Nginx502Probes.index(probe, prefix);
        return n.isPresent() && n.getAsInt() < asked.size() ? Optional.of(asked.get(n.getAsInt())) : Optional.empty();
    }

    /** What the root helper read of the masters in containers, when it ran. */
    private static Optional<ContainerScan> containers(Evidence evidence, LogWindow window, List<String> problems) {
        Optional<ProbeResult> r = evidence.probe(Nginx502Probes.CONTAINERS);
        if (r.isEmpty()) {
            return Optional.empty();
        }
        if (!r.get().ok() || !r.get().stdout().contains(Sections.MARK + "containers ")) {
            problems.add("sudo -n " + Nginx502Probes.CONTAINER_HELPER + " did not run (" + firstLine(r.get().stderr())
                    + "), so the nginx masters in containers were not read");
            return Optional.empty();
        }
        return Optional.of(ContainerScan.parse(r.get().stdout(), window));
    }

    private static Listeners listeners(Evidence evidence, List<String> problems) {
        Optional<ProbeResult> both = evidence.probe(Nginx502Probes.LISTEN);
        if (both.map(ProbeResult::ok).orElse(false)) {
            return Listeners.fromSs(both.get().stdout(), "");
        }
        // evidence recorded before one ss call listed both kinds
        Optional<ProbeResult> tcp = evidence.probe(Nginx502Probes.LISTEN_TCP);
        Optional<ProbeResult> unix = evidence.probe(Nginx502Probes.LISTEN_UNIX);
        if (tcp.map(ProbeResult::ok).orElse(false)) {
            return Listeners.fromSs(tcp.get().stdout(), unix.filter(ProbeResult::ok).map(ProbeResult::stdout).orElse(""));
        }
        Optional<ProbeResult> root = both.or(() -> tcp);
        String rootCommand = both.isPresent() ? "ss -ltxnp" : "ss -ltnp";
        // the fallback: in the host probe, or a probe of its own in older evidence
        List<Sections.Section> s = new ArrayList<>(Sections.parse(evidence.stdout(Nginx502Probes.LISTEN_FALLBACK)));
        s.addAll(Sections.parse(evidence.stdout(Nginx502Probes.HOST)));
        Optional<Sections.Section> ss = Sections.first(s, "ss-listen").or(() -> Sections.first(s, "ss-tcp"));
        if (ss.isPresent()) {
            if (root.isPresent()) {
                problems.add(rootCommand + " did not run as root (" + firstLine(root.get().stderr()) + "): listening "
                        + "sockets are known, but not which program holds those of other users");
            }
            return Listeners.fromSs(ss.get().text(), Sections.first(s, "ss-unix").map(Sections.Section::text).orElse(""));
        }
        if (Sections.first(s, "netstat").isPresent()) {
            return Listeners.fromNetstat(Sections.first(s, "netstat").get().text());
        }
        if (Sections.first(s, "proc").isPresent()) {
            return Listeners.fromProc(Sections.first(s, "proc").get().text(),
                    Sections.first(s, "proc-unix").map(Sections.Section::text).orElse(""));
        }
        problems.add("could not list listening sockets (no ss, netstat or /proc/net access)");
        return Listeners.unknown();
    }

    private static PhpFpm phpFpm(Evidence evidence, List<String> problems) {
        Optional<ProbeResult> p = evidence.probe(Nginx502Probes.PHP_FPM);
        if (p.isEmpty()) {
            return PhpFpm.none();
        }
        PhpFpm parsed = PhpFpm.parse(p.get().stdout());
        List<PhpFpm.LogLine> extra = new ArrayList<>();
        for (Map.Entry<String, ProbeResult> e : evidence.probes().entrySet()) {
            if (e.getKey().startsWith(Nginx502Probes.READ_FPM_LOG) && e.getValue().ok()) {
                extra.addAll(PhpFpm.logLines(List.of(e.getValue().stdout().split("\n"))));
            }
        }
        if (extra.isEmpty()) {
            return parsed;
        }
        List<PhpFpm.LogLine> log = new ArrayList<>(parsed.log());
        log.addAll(extra);
        return new PhpFpm(parsed.masters(), parsed.workers(), parsed.pools(), log, parsed.problems(), parsed.logPaths(),
                List.of());
    }

    // "  4026  0 lrwxrwxrwx   1 root  root  0 Nov 30 19:52 /proc/123/exe -> /usr/sbin/nginx"
    private static final Pattern EXE_LINE = Pattern.compile(
            "\\s*\\d+\\s+\\d+\\s+l[rwxsStT-]{9}\\s+\\d+\\s+\\S+\\s+\\S+\\s+\\d+\\s+\\S+\\s+\\S+\\s+\\S+\\s+"
                    + "/proc/(\\d{1,10})/exe -> (/.{1,4000})");

    /** pid → the path its /proc/PID/exe points to, from root's {@code find /proc … -ls}. */
    static Map<Integer, String> realExes(String out) {
        Map<Integer, String> exes = new HashMap<>();
        for (String line : out.split("\n")) {
            Matcher m = EXE_LINE.matcher(line);
            if (m.matches()) {
                exes.putIfAbsent(Integer.parseInt(m.group(1)), m.group(2));
            }
        }
        return exes;
    }

    private static ZoneOffset offsetOf(String tz) {
        try {
            if (tz.matches("[+-]\\d{4}")) {
                return ZoneOffset.of(tz.substring(0, 3) + ":" + tz.substring(3));
            }
        } catch (java.time.DateTimeException ignored) {
            // UTC below
        }
        return ZoneOffset.UTC;
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    /**
     * The host as a master in a container sees it: what listens, what answered and which php-fpm runs were
     * seen from the host's network namespace, where the container's addresses (its own 127.0.0.1) mean
     * something else, so they are unknown here rather than "nothing listens".
     */
    public HostEvidence insideContainer() {
        return new HostEvidence(host, window, facts, nginx, processes, Listeners.unknown(), PhpFpm.none(), kernel,
                UpstreamChecks.none(), problems);
    }
}
