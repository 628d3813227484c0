package dev.chatops.checks.nginx502.probe;

import dev.chatops.nginx.config.Endpoint;
import dev.chatops.core.shell.ShellQuote;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.HostSetup;
import dev.chatops.core.spi.Probe;
import dev.chatops.nginx.probe.NginxMasters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
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
    /** The root helper that reads nginx masters in containers. */
    public static final String CONTAINERS = "containers";
    /** Where the root helper goes, and the one sudoers line that allows it, with no arguments. */
    public static final String CONTAINER_HELPER = "/usr/local/libexec/chatops/nginx502-containers";
    public static final String CONTAINER_SUDOERS_LINE = "chatops ALL=(root) NOPASSWD: " + CONTAINER_HELPER + " \"\"";

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
                new Probe(NGINX, NginxMasters.functions() + Scripts.load("nginx.sh", numbers, "logwindow.sh"),
                        Duration.ofSeconds(15), 24 * 1024 * 1024, false),
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
                new HostSetup.File(CONTAINER_HELPER, "0755", Scripts.load("nginx502-containers", Map.of()))),
                List.of(RootHelper.SUDOERS_LINE, CONTAINER_SUDOERS_LINE));
    }

    /**
     * Whether this run's follow-up was already chosen (one of its probes is in), in evidence read through
     * {@link RootHelper#expand}: asked again, it has nothing it did not already ask for.
     */
    public static boolean followUpRan(Evidence read) {
        return RootHelper.firstBatchIn(read)
                && read.probes().keySet().stream().anyMatch(name -> !EARLY.contains(name));
    }

    /** The probes that run before the follow-up: the first batch and the root helper's fallback. */
    private static final Set<String> EARLY = Set.of(HOST, NGINX, PHP_FPM, RootHelper.PROBE, LISTEN, KERNEL_LOG,
            AUDIT_LOG, NGINX_EXE);

    /** The probes that depend on what the first batch found; validated values only, always quoted. */
    public static List<Probe> followUp(FollowUpTargets first, CheckOptions options) {
        List<Probe> out = new ArrayList<>();
        String checks = upstreamScript(first);
        if (!checks.isEmpty()) {
            out.add(new Probe(UPSTREAMS, checks, Duration.ofSeconds(8), 512 * 1024, false));
        }
        for (FollowUpTargets.ConfigTestTarget t : first.configTests()) {
            if (canonical(t.binary()) && (t.prefixArg().isEmpty() || canonical(t.prefixArg()))
                    && (t.confArg().isEmpty() || canonical(t.confArg()))) {
                StringBuilder cmd = new StringBuilder(ShellQuote.quote(t.binary())).append(" -t");
                if (!t.prefixArg().isEmpty()) {
                    cmd.append(" -p ").append(ShellQuote.quote(t.prefixArg()));
                }
                if (!t.confArg().isEmpty()) {
                    cmd.append(" -c ").append(ShellQuote.quote(t.confArg()));
                }
                out.add(new Probe(NGINX_TEST + t.instance(), cmd.toString(), Duration.ofSeconds(10), 64 * 1024, true));
            }
        }
        if (first.containers()) {
            // one fixed program with no arguments: a sudoers line allows exactly it
            out.add(new Probe(CONTAINERS, CONTAINER_HELPER, Duration.ofSeconds(60), 24 * 1024 * 1024, true));
        }
        List<String> logs = logsReadAsRoot(first.logs());
        for (int n = 0; n < logs.size(); n++) {
            // the host made the path canonical (readlink -f): sudo reads exactly the file a sudoers line names
            out.add(new Probe(READ_LOG + n, "tail -c " + LOG_BYTES + " " + ShellQuote.quote(logs.get(n)),
                    Duration.ofSeconds(8), (int) LOG_BYTES + 1024, true));
        }
        List<String> units = journalsReadAsRoot(first.journals());
        for (int j = 0; j < units.size(); j++) {
            out.add(new Probe(READ_JOURNAL + j, journalCommand(units.get(j), options.window()), Duration.ofSeconds(8),
                    (int) LOG_BYTES, true));
        }
        int f = 0;
        for (String path : first.fpmLogs()) {
            if (PATH.matcher(path).matches() && f < 4) {
                out.add(new Probe(READ_FPM_LOG + f++, "tail -c 1048576 " + ShellQuote.quote(path), Duration.ofSeconds(5),
                        1024 * 1024 + 1024, true));
            }
        }
        return out;
    }

    /**
     * The logs the follow-up reads as root, in the order of its {@code read-log.N} probes: canonical paths of plain
     * characters only, eight at most. What a {@code read-log.N} probe read is the Nth of these.
     */
    public static List<String> logsReadAsRoot(List<String> unreadable) {
        return unreadable.stream().filter(Nginx502Probes::canonical).limit(8).toList();
    }

    /** The units whose journal the follow-up reads as root, in the order of its {@code read-journal.N} probes. */
    public static List<String> journalsReadAsRoot(List<String> unreadable) {
        return unreadable.stream().filter(u -> UNIT.matcher(u).matches()).limit(4).toList();
    }

    /** The index a follow-up probe's name carries ({@code read-log.3} → 3), if it is one of {@code prefix}. */
    public static OptionalInt index(String probeName, String prefix) {
        String n = probeName.startsWith(prefix) ? probeName.substring(prefix.length()) : "";
        return n.matches("\\d{1,3}") ? OptionalInt.of(Integer.parseInt(n)) : OptionalInt.empty();
    }

    /**
     * The journal of a unit for the window, as root: fixed arguments for a given window, so one sudoers
     * line allows it ({@code --since -900s} is relative to now; the newest 20000 entries at most).
     */
    public static String journalCommand(String unit, Duration window) {
        return "journalctl -u " + unit + " --since -" + Math.max(1, window.toSeconds()) + "s -n 20000 --no-pager "
                + "-o short-iso";
    }

    /** An absolute path of plain characters with nothing for the host to resolve: no {@code .}, {@code ..}, {@code //}. */
    static boolean canonical(String path) {
        return PATH.matcher(path).matches() && !path.contains("//") && !path.contains("/./") && !path.contains("/../")
                && !path.endsWith("/.") && !path.endsWith("/..");
    }

    /**
     * The follow-up that connects to upstreams, resolves names, stats certificate files and lists the groups of
     * nginx's users: every value validated for its kind and quoted; link-local and cloud-metadata addresses are
     * never tried.
     */
    static String upstreamScript(FollowUpTargets first) {
        StringBuilder calls = new StringBuilder();
        int count = 0;
        for (FollowUpTargets.Upstream u : first.upstreams()) {
            Endpoint e = u.endpoint();
            if (count >= MAX_ENDPOINTS) {
                break;
            }
            if (metadataOrLinkLocal(e)) {
                continue;
            }
            if (e.isUnix()) {
                String path = e.unixPath().get();
                if (PATH.matcher(path).matches()) {
                    calls.append("unix_probe ").append(ShellQuote.quote(tag(e))).append(' ')
                            .append(ShellQuote.quote(path)).append(" &\n");
                    count++;
                }
            } else if (validHost(e.host()) && e.port() > 0 && e.port() < 65536) {
                String sni = IPV4.matcher(e.host()).matches() || IPV6.matcher(e.host()).matches() ? "" : e.host();
                calls.append("tcp_probe ").append(ShellQuote.quote(tag(e))).append(' ')
                        .append(ShellQuote.quote(e.host())).append(' ').append(e.port()).append(' ')
                        .append(ShellQuote.quote(sni)).append(' ').append(u.tls() ? "1" : "0")
                        .append(" &\n");
                count++;
            }
        }
        int nameCount = 0;
        for (String name : first.names()) {
            if (HOSTNAME.matcher(name).matches() && name.length() <= 253 && nameCount++ < 8) {
                calls.append("name_probe ").append(ShellQuote.quote("name:" + name)).append(' ')
                        .append(ShellQuote.quote(name)).append(" &\n");
            }
        }
        for (String path : first.trustFiles()) {
            if (PATH.matcher(path).matches()) {
                calls.append("file_probe ").append(ShellQuote.quote("file:" + path)).append(' ')
                        .append(ShellQuote.quote(path)).append('\n');
            }
        }
        for (String user : first.users()) {
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

    /** How the follow-up names an address in its output, so its answers can be found again by address. */
    public static String tag(Endpoint e) {
        return e.isUnix() ? e.key() : "tcp:" + e.key();
    }

    private static final Set<String> METADATA = Set.of("100.100.100.200", "fd00:ec2::254", "metadata.google.internal",
            "metadata.google.internal.", "metadata", "instance-data", "instance-data.ec2.internal");

    /** Link-local (169.254.0.0/16, fe80::/10) and cloud-metadata addresses: never a backend to connect to. */
    static boolean metadataOrLinkLocal(Endpoint e) {
        if (e.isUnix()) {
            return false;
        }
        String h = e.bareHost().toLowerCase(Locale.ROOT);
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
