package dev.chatops.checks.nginx502.evidence;

import static java.util.Objects.requireNonNull;

import dev.chatops.checks.nginx502.parse.Sections;
import dev.chatops.checks.nginx502.parse.container.ContainerScan;
import dev.chatops.checks.nginx502.parse.host.ProcessTable;
import dev.chatops.nginx.config.ConfigDump;
import dev.chatops.nginx.config.NginxConfig;
import dev.chatops.nginx.config.ServerBlock;
import dev.chatops.nginx.log.LogExcerpt;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the {@code nginx} probe found: whether nginx is installed and running, and each master with its
 * config and logs. {@code rootTests} and {@code rootLogs} are what the follow-up re-ran as root when the
 * first pass lacked permission; {@code realExes} is what each process really runs, as root listed it.
 *
 * @param ignored processes that call themselves an nginx master but are not one (not run by root, or
 *                running another program), each described for the report
 * @param containerMasters whether a master runs in a container, read or not: the root helper reads those
 */
public record NginxScan(boolean installed, boolean running, String binary, List<NginxInstance> instances,
                        boolean moreMasters, OptionalLong hostNow, String offset, List<String> ignored,
                        List<LogSource> sources, boolean containerMasters) {

    /**
     * Where one log of a master is read from: a file, the local syslog file ({@code file}, lines tagged
     * {@code tag}) or the journal of a systemd unit; {@code path} is how the report names it.
     */
    public record LogSource(LogExcerpt.Kind kind, String path, Source source, String file, String unit, String tag,
                            LogExcerpt.State state) {

        public enum Source { FILE, SYSLOG, JOURNAL }
    }

    public NginxScan {
        requireNonNull(binary, "binary is null");
        instances = List.copyOf(requireNonNull(instances, "instances is null"));
        requireNonNull(hostNow, "hostNow is null");
        requireNonNull(offset, "offset is null");
        ignored = List.copyOf(requireNonNull(ignored, "ignored is null"));
        sources = List.copyOf(requireNonNull(sources, "sources is null"));
    }

    private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9._@:+/-]{1,255}");
    private static final Pattern UNIT = Pattern.compile("[A-Za-z0-9@._-]{1,200}\\.service");

    /**
     * @param rootTests {@code nginx -t} output re-run as root, by instance index
     * @param rootLogs  raw tails of logs the probe could not read, by path, already cut to the window
     */
    public static NginxScan parse(String output, Map<Integer, List<String>> rootTests, Map<Integer, Integer> rootTestExits,
                                  Map<String, LogExcerpt> rootLogs, Map<Integer, String> realExes) {
        return parse(output, rootTests, rootTestExits, rootLogs, realExes, Optional.empty());
    }

    /**
     * @param containers what the root helper read of the masters in containers; empty when it did not run
     *                   (then each such master is a gap naming the helper)
     */
    public static NginxScan parse(String output, Map<Integer, List<String>> rootTests, Map<Integer, Integer> rootTestExits,
                                  Map<String, LogExcerpt> rootLogs, Map<Integer, String> realExes,
                                  Optional<ContainerScan> containers) {
        List<Sections.Section> sections = Sections.parse(output);
        OptionalLong now = OptionalLong.empty();
        String offset = "+0000";
        Optional<Sections.Section> clock = Sections.first(sections, "clock");
        if (clock.isPresent() && clock.get().attr("now").matches("\\d+")) {
            now = OptionalLong.of(Long.parseLong(clock.get().attr("now")));
            offset = clock.get().attr("tz");
        }
        ProcessTable procs = ProcessTable.parse(Sections.first(sections, "processes").map(Sections.Section::text)
                .orElse(""));
        List<String> ignored = new ArrayList<>();
        if (Sections.first(sections, "not-installed").isPresent() && Sections.first(sections, "instance").isEmpty()) {
            return new NginxScan(false, false, "", List.of(), false, now, offset, lookAlikes(sections), List.of(),
                    false);
        }
        Optional<Sections.Section> notRunning = Sections.first(sections, "not-running");
        // the installed binaries by device:inode, so a path root reports can be matched through a link
        Map<String, String> binaries = new java.util.HashMap<>();
        Sections.first(sections, "binaries").ifPresent(b -> b.lines().forEach(l -> {
            String[] w = l.strip().split(" ");
            if (w.length == 2 && w[0].matches("\\d{1,20}:\\d{1,20}") && SAFE_PATH.matcher(w[1]).matches()) {
                binaries.put(w[1], w[0]);
            }
        }));
        List<NginxInstance> instances = new ArrayList<>();
        List<List<LogSource>> builders = new ArrayList<>();
        List<Boolean> inContainers = new ArrayList<>();
        Builder b = null;
        boolean more = false;
        for (Sections.Section s : sections) {
            switch (s.name()) {
                case "instance" -> {
                    if (b != null) {
                        instances.add(b.build(instances.size(), rootTests, rootTestExits, rootLogs));
                        builders.add(b.sources());
                        inContainers.add(b.container);
                    }
                    b = new Builder(s, procs, realExes, binaries, containers);
                }
                case "refused", "no-binary", "no-version", "unit" -> {
                    if (b != null) {
                        b.note(s);
                    }
                }
                case "version" -> {
                    if (b != null) {
                        b.version = s.lines().stream().filter(l -> l.startsWith("nginx version:")).findFirst()
                                .map(l -> l.substring(14).strip()).orElse("");
                    }
                }
                case "paths" -> {
                    if (b != null) {
                        b.prefix = s.attr("prefix");
                        b.confPath = s.attr("conf");
                    }
                }
                case "dump" -> {
                    if (b != null) {
                        b.dumpExit = s.attr("exit").matches("\\d+") ? Integer.parseInt(s.attr("exit")) : -1;
                        b.dump = s.text();
                    }
                }
                case "walk" -> {
                    if (b != null) {
                        b.walk = s.text();
                    }
                }
                case "log" -> {
                    if (b != null) {
                        b.startLog(s);
                    }
                }
                case "log-missing", "log-unreadable", "log-uncollected", "log-size", "log-recent", "log-window",
                     "log-older" -> {
                    if (b != null) {
                        b.logSection(s);
                    }
                }
                case "more-masters" -> more = true;
                default -> {
                }
            }
        }
        if (b != null) {
            instances.add(b.build(instances.size(), rootTests, rootTestExits, rootLogs));
            builders.add(b.sources());
            inContainers.add(b.container);
        }
        ignored.addAll(lookAlikes(sections));
        List<NginxInstance> real = new ArrayList<>();
        List<LogSource> sources = new ArrayList<>();
        boolean containerMasters = false;
        for (int i = 0; i < instances.size(); i++) {
            NginxInstance n = instances.get(i);
            String exe = realExes.getOrDefault(n.pid(), "");
            if (n.running() && !exe.isEmpty() && !looksLikeNginx(exe) && !n.exe().equals(NginxInstance.VERIFIED)) {
                // root says this process runs something else: a look-alike that root happens to own
                ignored.add("pid " + n.pid() + " (user " + n.masterUser() + ") calls itself an nginx master but runs "
                        + shown(exe));
                continue;
            }
            real.add(n);
            sources.addAll(builders.get(i));
            containerMasters |= inContainers.get(i);
        }
        boolean running = real.stream().anyMatch(NginxInstance::running);
        String binary = notRunning.map(s -> s.attr("bin")).orElse(real.isEmpty() ? "" : real.get(0).binary());
        return new NginxScan(true, running && notRunning.isEmpty(), binary, real, more, now, offset, ignored, sources,
                containerMasters);
    }

    private static List<String> lookAlikes(List<Sections.Section> sections) {
        List<String> out = new ArrayList<>();
        for (Sections.Section s : sections) {
            if (s.name().equals("ignored") && s.attr("pid").matches("\\d{1,10}")) {
                String user = s.attr("user").matches("[A-Za-z0-9_.-]{1,32}") ? s.attr("user") : "?";
                out.add("pid " + s.attr("pid") + " (user " + user + ") calls itself an nginx master but "
                        + (s.attr("why").equals("runs another program") ? "runs another program" : "is not run by root"));
            }
        }
        return out;
    }

    /** Whether a path root reported for /proc/PID/exe is an nginx (or OpenResty, Angie) binary. */
    static boolean looksLikeNginx(String exe) {
        String path = exe.endsWith(" (deleted)") ? exe.substring(0, exe.length() - 10) : exe;
        if (!SAFE_PATH.matcher(path).matches()) {
            return false;
        }
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.equals("nginx") || name.equals("openresty") || name.equals("angie") || name.startsWith("nginx-")
                || name.equals("nginx-debug");
    }

    private static String shown(String path) {
        return SAFE_PATH.matcher(path).matches() ? path : "a program with an unusual name";
    }

    private static final class Builder {
        final int pid;
        final String user;
        final String bin;
        final String prefixArg;
        final String confArg;
        final ProcessTable procs;
        final String exe;
        final List<String> gaps = new ArrayList<>();
        String version = "";
        String prefix = "";
        String confPath = "";
        String dump = "";
        int dumpExit = -1;
        String walk = "";
        final List<LogParts> logs = new ArrayList<>();

        final Optional<ContainerScan> containers;
        ContainerScan.Master inContainer;
        /** It runs in a container, read by the root helper or not. */
        boolean container;

        Builder(Sections.Section s, ProcessTable procs, Map<Integer, String> realExes, Map<String, String> binaries,
                Optional<ContainerScan> containers) {
            this.containers = containers;
            this.pid = s.attr("pid").matches("\\d{1,10}") ? Integer.parseInt(s.attr("pid")) : 0;
            this.user = s.attr("user");
            this.procs = procs;
            String b = s.attr("bin");
            String p = s.attr("prefix");
            String c = s.attr("conf");
            String state = s.attr("exe");
            // values from the probe name files the follow-up may hand to sudo: plain paths only
            this.bin = b.isEmpty() || SAFE_PATH.matcher(b).matches() ? b : "";
            this.prefixArg = p.isEmpty() || SAFE_PATH.matcher(p).matches() ? p : "";
            this.confArg = c.isEmpty() || SAFE_PATH.matcher(c).matches() ? c : "";
            String real = realExes.getOrDefault(pid, "");
            if (state.equals(NginxInstance.ASSUMED) && !real.isEmpty() && !bin.isEmpty()) {
                String id = binaries.get(bin);
                if (real.equals(bin) || (id != null && id.equals(binaries.get(real)))) {
                    state = NginxInstance.VERIFIED;
                } else if (real.endsWith(" (deleted)")) {
                    gaps.add("nginx master " + pid + " runs a binary that was replaced after it started (" + shown(real)
                            + "): its config was read with " + bin + ", which may differ; restart it to run the "
                            + "installed one");
                } else if (looksLikeNginx(real)) {
                    gaps.add("nginx master " + pid + " runs " + shown(real) + ", not " + bin + ": its config and logs "
                            + "were read with the wrong binary; install it in a usual place (/usr/sbin, /usr/local/sbin)");
                }
            }
            this.exe = state;
        }

        void note(Sections.Section s) {
            switch (s.name()) {
                case "refused" -> {
                    String what = s.attr("arg").equals("-p") ? "prefix (-p)" : "config (-c)";
                    String path = s.lines().isEmpty() ? "" : s.lines().get(0);
                    String named = SAFE_PATH.matcher(path).matches() ? " " + path : "";
                    gaps.add("nginx master " + pid + " was started with the " + what + named + ", which root does not "
                            + "own or others can write, so the check did not read it (possible tampering: see who "
                            + "started pid " + pid + " and why); its logs were not read");
                }
                case "no-binary" -> {
                    String why = clean(s.attr("why"));
                    if (why.startsWith("it runs in a container")) {
                        inContainer(why);
                        return;
                    }
                    gaps.add("could not find the binary of nginx master " + pid + ": " + why + ", so its config and "
                            + "logs were not read; the check runs only a root-owned nginx in a usual place (/usr/sbin, "
                            + "/usr/local/sbin, /usr/local/nginx/sbin, /opt/NAME/sbin): install it there");
                }
                case "no-version" -> gaps.add(bin + " -V printed no version, so the compiled-in paths of nginx master "
                        + pid + " are unknown and its config and logs were not read");
                default -> {
                }
            }
        }

        /** A master in a container: read by the root helper, or a gap that names the helper. */
        private void inContainer(String why) {
            container = true;
            ContainerScan.Master m = containers.flatMap(c -> Optional.ofNullable(c.masters().get(pid))).orElse(null);
            if (m != null) {
                inContainer = m;
                return;
            }
            gaps.add("nginx master " + pid + " " + why.substring(3) + ", so they were not read"
                    + containers.map(c -> " (the root helper found no such master)").orElse("")
                    + "; " + ContainerScan.INSTALL_HINT);
        }

        void startLog(Sections.Section s) {
            LogParts l = new LogParts(s.attr("kind"), s.attr("path"));
            l.source = switch (s.attr("source")) {
                case "syslog" -> LogSource.Source.SYSLOG;
                case "journal" -> LogSource.Source.JOURNAL;
                default -> LogSource.Source.FILE;
            };
            l.file = l.source == LogSource.Source.FILE ? l.path : s.attr("file");
            l.unit = UNIT.matcher(s.attr("unit")).matches() ? s.attr("unit") : "";
            l.tag = SyslogLines.TAG.matcher(s.attr("tag")).matches() ? s.attr("tag") : "nginx";
            logs.add(l);
        }

        void logSection(Sections.Section s) {
            if (logs.isEmpty()) {
                return;
            }
            LogParts l = logs.get(logs.size() - 1);
            switch (s.name()) {
                case "log-missing" -> l.state = LogExcerpt.State.MISSING;
                case "log-unreadable" -> l.state = LogExcerpt.State.UNREADABLE;
                case "log-uncollected" -> l.uncollected = clean(s.attr("why"));
                case "log-size" -> {
                    l.size = s.arg().strip().matches("\\d+") ? Long.parseLong(s.arg().strip()) : -1;
                    l.lines.addAll(s.lines());
                }
                case "log-recent" -> l.recent.addAll(s.lines());
                case "log-window" -> {
                    l.total = s.attr("total").matches("\\d+") ? Long.parseLong(s.attr("total")) : 0;
                    l.lines.addAll(s.lines());
                }
                case "log-older" -> {
                    l.olderCount = s.attr("count").matches("\\d+") ? Long.parseLong(s.attr("count")) : 0;
                    l.older.addAll(s.lines());
                }
                default -> {
                }
            }
        }

        List<LogSource> sources() {
            return logs.stream().filter(l -> l.uncollected.isEmpty()).map(l -> new LogSource(
                    l.kind.equals("access") ? LogExcerpt.Kind.ACCESS : LogExcerpt.Kind.ERROR, l.path, l.source, l.file,
                    l.unit, l.tag, l.state)).toList();
        }

        NginxInstance build(int index, Map<Integer, List<String>> rootTests, Map<Integer, Integer> rootTestExits,
                            Map<String, LogExcerpt> rootLogs) {
            if (inContainer != null) {
                return container(inContainer);
            }
            ConfigDump d = ConfigDump.parse(dump);
            ConfigTest test = ConfigTest.of(d.messages(), dumpExit);
            boolean fromFiles = false;
            ConfigDump tree = d;
            if (d.isEmpty() && !walk.isBlank()) {
                tree = ConfigDump.parse(walk);
                fromFiles = true;
            }
            if (test.outcome() == ConfigTest.Outcome.NO_PERMISSION && rootTests.containsKey(index)) {
                test = ConfigTest.of(rootTests.get(index), rootTestExits.getOrDefault(index, 1));
            }
            NginxConfig config = NginxConfig.from(tree, prefix);
            Optional<String> worker = procs.children(pid).stream()
                    .filter(p -> p.args().startsWith("nginx: worker") || p.args().startsWith("angie: worker"))
                    .map(ProcessTable.Proc::user).findFirst();
            List<LogExcerpt> excerpts = new ArrayList<>();
            List<String> missing = new ArrayList<>(gaps);
            for (LogParts l : logs) {
                LogExcerpt.Kind kind = l.kind.equals("access") ? LogExcerpt.Kind.ACCESS : LogExcerpt.Kind.ERROR;
                if (!l.uncollected.isEmpty()) {
                    missing.add("the " + l.kind + " log of nginx master " + pid + " was not read: " + l.uncollected
                            + "; " + (l.kind.equals("error") ? "write it to a file (error_log /var/log/nginx/error.log;)"
                            : "write it to a file (access_log /var/log/nginx/access.log;)"));
                } else if (l.state == LogExcerpt.State.UNREADABLE && rootLogs.containsKey(l.path)) {
                    LogExcerpt r = rootLogs.get(l.path);
                    excerpts.add(new LogExcerpt(kind, l.path, r.state(), r.size(), r.lines(), r.recent(), r.total(),
                            r.olderCount(), r.older(), r.cutAtCap()));
                } else {
                    excerpts.add(new LogExcerpt(kind, l.path, l.state, l.size, l.lines, l.recent, l.total, l.olderCount,
                            l.older, false));
                }
            }
            return new NginxInstance(pid, user, worker, bin, prefixArg, confArg, prefix, confPath, version, config, test,
                    fromFiles, excerpts, exe, missing);
        }

        /** A master in a container, from what the root helper read inside it. */
        private NginxInstance container(ContainerScan.Master m) {
            ConfigDump d = ConfigDump.parse(m.dump());
            ConfigTest test = ConfigTest.of(d.messages(), m.dumpExit());
            boolean fromFiles = false;
            ConfigDump tree = d;
            if (d.isEmpty() && !m.walk().isBlank()) {
                tree = ConfigDump.parse(m.walk());
                fromFiles = true;
            }
            // the official image's prefix; a relative path in its config is relative to it
            NginxConfig config = NginxConfig.from(tree, "/etc/nginx/");
            Optional<String> worker = procs.children(pid).stream()
                    .filter(p -> p.args().startsWith("nginx: worker") || p.args().startsWith("angie: worker"))
                    .map(ProcessTable.Proc::user).findFirst();
            List<String> missing = new ArrayList<>(gaps);
            if (m.logs().isEmpty()) {
                missing.add("the logs of nginx master " + pid + " in " + m.container().label() + " were not read: its "
                        + "runtime keeps no json-file or CRI log of it (another logging driver, or logs written to files "
                        + "inside the container); make it log to /dev/stdout and /dev/stderr with the json-file driver");
            }
            if (!config.isEmpty() && !m.logs().isEmpty()) {
                // a log file inside the container is out of reach: only what reaches its stdout/stderr is read
                Set<String> paths = new LinkedHashSet<>();
                for (ServerBlock server : config.servers()) {
                    paths.addAll(config.errorLogs(server));
                    config.accessLogs(server).forEach(a -> paths.add(a.path()));
                }
                for (String path : paths) {
                    if (!m.toRuntimeLog(path)) {
                        missing.add("nginx master " + pid + " in " + m.container().label() + " writes "
                                + (SAFE_PATH.matcher(path).matches() ? path : "a log") + (m.links().isEmpty()
                                ? ", which may be a file inside the container (where it leads could not be read: "
                                + "the image has no readlink)" : ", a file inside the container")
                                + ", which was not read; log to /dev/stderr (error_log) and /dev/stdout (access_log) "
                                + "as the official image does, so its runtime keeps them");
                    }
                }
            }
            return new NginxInstance(pid, user, worker, "", "", "", "/etc/nginx/", confPath.isEmpty()
                    ? "/etc/nginx/nginx.conf" : confPath, version, config, test, fromFiles, m.logs(), exe, missing,
                    Optional.of(m.container()));
        }
    }

    /** A reason the probe wrote, kept to one plain line. */
    private static String clean(String why) {
        String t = why.replaceAll("[^\\x20-\\x7e]", "").strip();
        return t.length() > 300 ? t.substring(0, 300) : t;
    }

    private static final class LogParts {
        final String kind;
        final String path;
        LogSource.Source source = LogSource.Source.FILE;
        String file = "";
        String unit = "";
        String tag = "nginx";
        String uncollected = "";
        LogExcerpt.State state = LogExcerpt.State.READ;
        long size = -1;
        long total;
        long olderCount;
        final List<String> lines = new ArrayList<>();
        final List<String> recent = new ArrayList<>();
        final List<String> older = new ArrayList<>();

        LogParts(String kind, String path) {
            this.kind = kind;
            this.path = path;
        }
    }

    /** The log files (nginx's own, or the syslog file it logs to) this scan could not read, for root to read. */
    public List<String> unreadableLogs() {
        return sources.stream().filter(l -> l.state() == LogExcerpt.State.UNREADABLE
                && l.source() != LogSource.Source.JOURNAL).map(LogSource::file).distinct().toList();
    }

    /** The systemd units whose journal this scan could not read, for root to read. */
    public List<String> unreadableJournals() {
        return sources.stream().filter(l -> l.state() == LogExcerpt.State.UNREADABLE
                && l.source() == LogSource.Source.JOURNAL && !l.unit().isEmpty()).map(LogSource::unit).distinct()
                .toList();
    }
}
