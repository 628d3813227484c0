package dev.chatops.checks.nginx502.probe;

import dev.chatops.nginx.config.Endpoint;
import dev.chatops.nginx.config.NginxConfig;
import dev.chatops.checks.nginx502.evidence.ConfigTest;
import dev.chatops.checks.nginx502.evidence.ContainerScan;
import dev.chatops.checks.nginx502.evidence.HostEvidence;
import dev.chatops.checks.nginx502.evidence.NginxInstance;
import dev.chatops.checks.nginx502.host.BackendCandidates;
import dev.chatops.checks.nginx502.host.TrustFiles;
import dev.chatops.checks.nginx502.host.UpstreamChecks;
import dev.chatops.nginx.log.ErrorKind;
import dev.chatops.nginx.log.ErrorLogLine;
import dev.chatops.nginx.log.LogExcerpt;
import dev.chatops.core.shell.ShellQuote;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.HostSetup;
import dev.chatops.core.spi.Probe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The probes of the nginx502 check. The first batch finds everything that can be found without
 * knowing the config: the nginx masters and their own {@code -p}/{@code -c}, {@code nginx -T} with those,
 * the logs that config names (cut on the host to the window and a byte cap), php-fpm, listeners,
 * processes, and the root commands (listeners with their programs, kernel and audit logs, what each process
 * runs) in one call of the root helper ({@link RootHelper}): four probes. Without the helper those root
 * commands are the first follow-up, one sudo call each. The follow-up tries the upstream addresses found in the
 * config and re-reads as root what the first batch was not allowed to read.
 */
public final class Nginx502Probes {

    public static final String HOST = "host";
    public static final String NGINX = "nginx";
    public static final String PHP_FPM = "php-fpm";
    /** {@code ss -ltxnp} as root: TCP and unix listeners with their programs, in one sudo call. */
    public static final String LISTEN = "listen";
    /** Probes of evidence recorded before they were merged: processes and the fallback went into {@code host}. */
    public static final String PROCESSES = "processes";
    public static final String LISTEN_TCP = "listen-tcp";
    public static final String LISTEN_UNIX = "listen-unix";
    public static final String LISTEN_FALLBACK = "listen-fallback";
    public static final String KERNEL_LOG = "kernel-log";
    public static final String AUDIT_LOG = "audit-log";
    public static final String UPSTREAMS = "upstreams";
    public static final String NGINX_TEST = "nginx-test.";
    public static final String READ_LOG = "read-log.";
    public static final String READ_FPM_LOG = "read-fpm-log.";
    public static final String NGINX_EXE = "nginx-exe";
    public static final String READ_JOURNAL = "read-journal.";
    /** The root helper that reads nginx masters in containers (see {@link ContainerScan}). */
    public static final String CONTAINERS = "containers";

    /**
     * What every process really runs, as root sees it: ps text is the process's own, /proc/PID/exe is the
     * kernel's. One fixed command with exact arguments, so a sudoers line can name it exactly; {@code -ls}
     * escapes unusual characters, so each process is one line.
     */
    public static final String EXE_COMMAND = "find /proc -mindepth 2 -maxdepth 2 -name exe -ls";

    /** Bytes read from the end of each log: a 1 GiB log costs what a 4 MiB one does. */
    public static final long LOG_BYTES = 4L * 1024 * 1024;
    static final long DUMP_BYTES = 4L * 1024 * 1024;
    private static final int MAX_ENDPOINTS = 16;

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9A-Fa-f:.]{2,45}]");
    private static final Pattern HOSTNAME = Pattern.compile(
            "[A-Za-z0-9](?:[A-Za-z0-9_-]{0,62})(?:\\.[A-Za-z0-9](?:[A-Za-z0-9_-]{0,62}))*\\.?");
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._@:+/-]{1,255}");
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");
    private static final Pattern UNIT = Pattern.compile("[A-Za-z0-9@._-]{1,200}\\.service");

    private Nginx502Probes() {
    }

    public static List<Probe> first(CheckOptions options) {
        long window = Math.max(1, options.window().toSeconds());
        Map<String, Long> numbers = Map.of("WINDOW", window, "LOG_BYTES", LOG_BYTES, "DUMP_BYTES", DUMP_BYTES);
        List<Probe> probes = new ArrayList<>(List.of(
                // host facts, the process table and the listeners as this user sees them (the fallback for ss)
                new Probe(HOST, Scripts.load("host.sh", numbers), Duration.ofSeconds(8), 2 * 1024 * 1024, false),
                new Probe(NGINX, Scripts.load("nginx.sh", numbers, "logwindow.sh"), Duration.ofSeconds(15),
                        24 * 1024 * 1024, false),
                new Probe(PHP_FPM, Scripts.load("php-fpm.sh", numbers, "logwindow.sh"), Duration.ofSeconds(8),
                        2 * 1024 * 1024, false)));
        // the root commands in one sudo call; without the helper they run one by one (RootHelper)
        probes.addAll(RootHelper.firstBatch(options.settings()));
        return List.copyOf(probes);
    }

    /**
     * The root helpers as an operator installs them, each with its one sudoers line: the one that runs the
     * root commands of every run in one call, and the one for masters in containers.
     */
    public static HostSetup hostSetup() {
        return new HostSetup(List.of(new HostSetup.File(RootHelper.PATH, "0755", RootHelper.script()),
                new HostSetup.File(ContainerScan.HELPER_PATH, "0755", Scripts.load("nginx502-containers", Map.of()))),
                List.of(RootHelper.SUDOERS_LINE, ContainerScan.SUDOERS_LINE));
    }

    /**
     * The probes that depend on what was found so far: first the root commands one by one when the root
     * helper did not answer (what follows depends on them), then those of {@link #followUp(HostEvidence,
     * CheckOptions)}.
     */
    public static List<Probe> followUp(Evidence sofar, CheckOptions options) {
        if (sofar.probe(RootHelper.PROBE).isPresent()
                && sofar.probes().keySet().stream().anyMatch(name -> !EARLY.contains(name))) {
            // this run's follow-up ran: asked again, there is nothing it did not already ask for (evidence
            // recorded before the root helper, replayed, is read as it always was)
            return List.of();
        }
        List<Probe> fallback = RootHelper.fallback(sofar);
        return fallback.isEmpty() ? followUp(HostEvidence.from(RootHelper.expand(sofar)), options) : fallback;
    }

    /** The probes that run before the follow-up: the first batch and the root helper's fallback. */
    private static final Set<String> EARLY = Set.of(HOST, NGINX, PHP_FPM, RootHelper.PROBE, LISTEN, KERNEL_LOG,
            AUDIT_LOG, NGINX_EXE);

    /** The probes that depend on what the first batch found; validated values only, always quoted. */
    public static List<Probe> followUp(HostEvidence first, CheckOptions options) {
        List<Probe> out = new ArrayList<>();
        String checks = upstreamScript(first);
        if (!checks.isEmpty()) {
            out.add(new Probe(UPSTREAMS, checks, Duration.ofSeconds(8), 512 * 1024, false));
        }
        List<NginxInstance> instances = first.nginx().instances();
        for (int i = 0; i < instances.size(); i++) {
            NginxInstance n = instances.get(i);
            // root runs only a binary root said this master runs, or, with none running, the installed one
            // with its default config (or evidence recorded before that was known)
            boolean known = n.exe().equals(NginxInstance.VERIFIED) || n.exe().isEmpty()
                    || (!n.running() && n.exe().equals(NginxInstance.INSTALLED) && n.prefixArg().isEmpty()
                    && n.confArg().isEmpty());
            if (known && n.test().outcome() == ConfigTest.Outcome.NO_PERMISSION && canonical(n.binary())
                    && (n.prefixArg().isEmpty() || canonical(n.prefixArg()))
                    && (n.confArg().isEmpty() || canonical(n.confArg()))) {
                StringBuilder cmd = new StringBuilder(ShellQuote.quote(n.binary())).append(" -t");
                if (!n.prefixArg().isEmpty()) {
                    cmd.append(" -p ").append(ShellQuote.quote(n.prefixArg()));
                }
                if (!n.confArg().isEmpty()) {
                    cmd.append(" -c ").append(ShellQuote.quote(n.confArg()));
                }
                out.add(new Probe(NGINX_TEST + i, cmd.toString(), Duration.ofSeconds(10), 64 * 1024, true));
            }
        }
        if (first.nginx().containerMasters()) {
            // one fixed program with no arguments: a sudoers line allows exactly it
            out.add(new Probe(CONTAINERS, ContainerScan.HELPER_PATH, Duration.ofSeconds(60), 24 * 1024 * 1024, true));
        }
        int n = 0;
        for (String path : first.nginx().unreadableLogs()) {
            // the host made the path canonical (readlink -f): sudo reads exactly the file a sudoers line names
            if (canonical(path) && n < 8) {
                out.add(new Probe(READ_LOG + n++, "tail -c " + LOG_BYTES + " " + ShellQuote.quote(path),
                        Duration.ofSeconds(8), (int) LOG_BYTES + 1024, true));
            }
        }
        int j = 0;
        for (String unit : first.nginx().unreadableJournals()) {
            if (UNIT.matcher(unit).matches() && j < 4) {
                out.add(new Probe(READ_JOURNAL + j++, journalCommand(unit, options.window()), Duration.ofSeconds(8),
                        (int) LOG_BYTES, true));
            }
        }
        int f = 0;
        for (String path : first.phpFpmUnreadableLogs()) {
            if (PATH.matcher(path).matches() && f < 4) {
                out.add(new Probe(READ_FPM_LOG + f++, "tail -c 1048576 " + ShellQuote.quote(path), Duration.ofSeconds(5),
                        1024 * 1024 + 1024, true));
            }
        }
        return out;
    }

    /**
     * The journal of a unit for the window, as root: fixed arguments for a given window, so one sudoers
     * line allows it ({@code --since -900s} is relative to now; the newest 20000 entries at most).
     */
    public static String journalCommand(String unit, Duration window) {
        return "journalctl -u " + unit + " --since -" + Math.max(1, window.toSeconds()) + "s -n 20000 --no-pager "
                + "-o short-iso";
    }

    /** The unit a {@code read-journal} probe read, taken back from its command. */
    public static String unitOfJournal(String command) {
        String[] words = command.split(" ");
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("-u")) {
                return UNIT.matcher(words[i + 1]).matches() ? words[i + 1] : "";
            }
        }
        return "";
    }

    /** An absolute path of plain characters with nothing for the host to resolve: no {@code .}, {@code ..}, {@code //}. */
    static boolean canonical(String path) {
        return PATH.matcher(path).matches() && !path.contains("//") && !path.contains("/./") && !path.contains("/../")
                && !path.endsWith("/.") && !path.endsWith("/..");
    }

    /**
     * The path a {@code read-log} probe read, taken back from its command: the last word, single-quoted as this
     * class writes it or bare as a transport records a sudo command (it drops quotes around plain words). Only
     * canonical paths of plain characters are ever put there, so anything else reads as no path.
     */
    public static String pathOfTail(String command) {
        String[] words = command.strip().split(" ");
        String last = words[words.length - 1];
        if (last.length() >= 2 && last.startsWith("'") && last.endsWith("'")) {
            last = last.substring(1, last.length() - 1);
        }
        return words.length >= 4 && canonical(last) ? last : "";
    }

    /**
     * The follow-up that connects to upstreams. Only what the config names decides where the web host
     * connects: the config's own addresses come first (so no cap can push them out); an address seen only in
     * an error log (clients write into those lines) is tried only when it belongs to a target of the config,
     * the same port as a name the config resolves; listeners near a refused address come last; link-local and
     * cloud-metadata addresses are never tried.
     */
    static String upstreamScript(HostEvidence first) {
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
        StringBuilder calls = new StringBuilder();
        int count = 0;
        for (Endpoint e : endpoints.values()) {
            if (count >= MAX_ENDPOINTS) {
                break;
            }
            if (metadataOrLinkLocal(e)) {
                continue;
            }
            if (e.isUnix()) {
                String path = e.unixPath().get();
                if (PATH.matcher(path).matches()) {
                    calls.append("unix_probe ").append(ShellQuote.quote(UpstreamChecks.tag(e))).append(' ')
                            .append(ShellQuote.quote(path)).append(" &\n");
                    count++;
                }
            } else if (validHost(e.host()) && e.port() > 0 && e.port() < 65536) {
                String sni = IPV4.matcher(e.host()).matches() || IPV6.matcher(e.host()).matches() ? "" : e.host();
                calls.append("tcp_probe ").append(ShellQuote.quote(UpstreamChecks.tag(e))).append(' ')
                        .append(ShellQuote.quote(e.host())).append(' ').append(e.port()).append(' ')
                        .append(ShellQuote.quote(sni)).append(' ').append(tls.contains(e.key()) ? "1" : "0")
                        .append(" &\n");
                count++;
            }
        }
        int nameCount = 0;
        for (String name : names) {
            if (HOSTNAME.matcher(name).matches() && name.length() <= 253 && nameCount++ < 8) {
                calls.append("name_probe ").append(ShellQuote.quote("name:" + name)).append(' ')
                        .append(ShellQuote.quote(name)).append(" &\n");
            }
        }
        for (String path : files) {
            if (PATH.matcher(path).matches()) {
                calls.append("file_probe ").append(ShellQuote.quote("file:" + path)).append(' ')
                        .append(ShellQuote.quote(path)).append('\n');
            }
        }
        for (String user : users) {
            if (USER.matcher(user).matches()) {
                calls.append("user_probe ").append(ShellQuote.quote("user:" + user)).append(' ')
                        .append(ShellQuote.quote(user)).append('\n');
            }
        }
        if (calls.isEmpty()) {
            return "";
        }
        return Scripts.load("upstreams.sh", Map.of()) + calls + "wait\n";
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

    private static final Set<String> METADATA = Set.of("100.100.100.200", "fd00:ec2::254", "metadata.google.internal",
            "metadata.google.internal.", "metadata", "instance-data", "instance-data.ec2.internal");

    /** Link-local (169.254.0.0/16, fe80::/10) and cloud-metadata addresses: never a backend to connect to. */
    static boolean metadataOrLinkLocal(Endpoint e) {
        if (e.isUnix()) {
            return false;
        }
        String h = e.bareHost().toLowerCase(java.util.Locale.ROOT);
        if (METADATA.contains(h) || h.startsWith("169.254.")) {
            return true;
        }
        if (h.contains(":")) {
            String v6 = h.startsWith("::ffff:") ? h.substring(7) : h;
            return v6.startsWith("169.254.") || v6.matches("fe[89ab][0-9a-f]?:.*");
        }
        return false;
    }

    static boolean validHost(String host) {
        return IPV4.matcher(host).matches() || IPV6.matcher(host).matches()
                || (HOSTNAME.matcher(host).matches() && host.length() <= 253);
    }
}
