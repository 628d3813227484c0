package dev.chatops.checks.nginx502.evidence;

import static java.util.Objects.requireNonNull;

import dev.chatops.checks.nginx502.config.ConfigDump;
import dev.chatops.checks.nginx502.config.NginxConfig;
import dev.chatops.checks.nginx502.host.ProcessTable;
import dev.chatops.checks.nginx502.log.LogExcerpt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the {@code nginx} probe found: whether nginx is installed and running, and each master with its
 * config and logs. {@code rootTests} and {@code rootLogs} are what the follow-up re-ran as root when the
 * first pass lacked permission.
 */
public record NginxScan(boolean installed, boolean running, String binary, List<NginxInstance> instances,
                        boolean moreMasters, OptionalLong hostNow, String offset) {

    public NginxScan {
        requireNonNull(binary, "binary is null");
        instances = List.copyOf(requireNonNull(instances, "instances is null"));
        requireNonNull(hostNow, "hostNow is null");
        requireNonNull(offset, "offset is null");
    }

    /**
     * @param rootTests {@code nginx -t} output re-run as root, by instance index
     * @param rootLogs  raw tails of logs the probe could not read, by path, already cut to the window
     */
    public static NginxScan parse(String output, Map<Integer, List<String>> rootTests, Map<Integer, Integer> rootTestExits,
                                  Map<String, LogExcerpt> rootLogs) {
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
        if (Sections.first(sections, "not-installed").isPresent()) {
            return new NginxScan(false, false, "", List.of(), false, now, offset);
        }
        Optional<Sections.Section> notRunning = Sections.first(sections, "not-running");
        List<NginxInstance> instances = new ArrayList<>();
        Builder b = null;
        boolean more = false;
        for (Sections.Section s : sections) {
            switch (s.name()) {
                case "instance" -> {
                    if (b != null) {
                        instances.add(b.build(instances.size(), rootTests, rootTestExits, rootLogs));
                    }
                    b = new Builder(s, procs);
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
                case "log-missing", "log-unreadable", "log-size", "log-recent", "log-window", "log-older" -> {
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
        }
        boolean running = instances.stream().anyMatch(NginxInstance::running);
        String binary = notRunning.map(s -> s.attr("bin")).orElse(instances.isEmpty() ? "" : instances.get(0).binary());
        return new NginxScan(true, running && notRunning.isEmpty(), binary, instances, more, now, offset);
    }

    private static final class Builder {
        final int pid;
        final String user;
        final String bin;
        final String prefixArg;
        final String confArg;
        final ProcessTable procs;
        String version = "";
        String prefix = "";
        String confPath = "";
        String dump = "";
        int dumpExit = -1;
        String walk = "";
        final List<LogParts> logs = new ArrayList<>();

        Builder(Sections.Section s, ProcessTable procs) {
            this.pid = s.attr("pid").matches("\\d+") ? Integer.parseInt(s.attr("pid")) : 0;
            this.user = s.attr("user");
            this.bin = s.attr("bin");
            this.prefixArg = s.attr("prefix");
            this.confArg = s.attr("conf");
            this.procs = procs;
        }

        void startLog(Sections.Section s) {
            logs.add(new LogParts(s.attr("kind"), s.attr("path")));
        }

        void logSection(Sections.Section s) {
            if (logs.isEmpty()) {
                return;
            }
            LogParts l = logs.get(logs.size() - 1);
            switch (s.name()) {
                case "log-missing" -> l.state = LogExcerpt.State.MISSING;
                case "log-unreadable" -> l.state = LogExcerpt.State.UNREADABLE;
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

        NginxInstance build(int index, Map<Integer, List<String>> rootTests, Map<Integer, Integer> rootTestExits,
                            Map<String, LogExcerpt> rootLogs) {
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
                    .filter(p -> p.args().startsWith("nginx: worker")).map(ProcessTable.Proc::user).findFirst();
            List<LogExcerpt> excerpts = new ArrayList<>();
            for (LogParts l : logs) {
                LogExcerpt.Kind kind = l.kind.equals("access") ? LogExcerpt.Kind.ACCESS : LogExcerpt.Kind.ERROR;
                if (l.state == LogExcerpt.State.UNREADABLE && rootLogs.containsKey(l.path)) {
                    LogExcerpt r = rootLogs.get(l.path);
                    excerpts.add(new LogExcerpt(kind, l.path, r.state(), r.size(), r.lines(), r.recent(), r.total(),
                            r.olderCount(), r.older(), r.cutAtCap()));
                } else {
                    excerpts.add(new LogExcerpt(kind, l.path, l.state, l.size, l.lines, l.recent, l.total, l.olderCount,
                            l.older, false));
                }
            }
            return new NginxInstance(pid, user, worker, bin, prefixArg, confArg, prefix, confPath, version, config, test,
                    fromFiles, excerpts);
        }
    }

    private static final class LogParts {
        final String kind;
        final String path;
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

    /** The logs this scan could not read, for the follow-up to read as root. */
    public List<String> unreadableLogs() {
        return instances.stream().flatMap(i -> i.logs().stream()).filter(l -> l.state() == LogExcerpt.State.UNREADABLE)
                .map(LogExcerpt::path).distinct().toList();
    }
}
