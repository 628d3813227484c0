package dev.chatops.checks.nginx502.parse.container;

import static java.util.Objects.requireNonNull;

import dev.chatops.checks.nginx502.parse.Sections;
import dev.chatops.checks.nginx502.probe.Nginx502Probes;
import dev.chatops.nginx.log.LogExcerpt;
import dev.chatops.nginx.log.LogWindow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the root helper {@code nginx502-containers} printed: for each nginx master in a container, the
 * container, the config as its nginx dumps it (or its files, read as nobody inside the container), and
 * the logs its runtime kept, decoded and cut to the window. Every line the container wrote comes behind
 * {@code |}, so none of it can pose as a section.
 */
public record ContainerScan(Map<Integer, Master> masters, boolean more) {

    /**
     * One master in a container.
     *
     * @param dump     {@code nginx -T} output, as nobody inside the container
     * @param dumpExit its exit status, -1 if unknown
     * @param walk     the config files read instead when {@code nginx -T} failed, in its format
     * @param logPath  the runtime's log it was read from, empty when none was found
     * @param logs     the error (stderr) and access (stdout) excerpts, cut to the window
     * @param links    each log path of its config to what it links to inside the container ("" when it is no
     *                 link), as read there; empty when they could not be read
     */
    public record Master(int pid, Container container, String dump, int dumpExit, String walk, String logPath,
                         List<LogExcerpt> logs, Map<String, String> links) {

        public Master {
            requireNonNull(container, "container is null");
            requireNonNull(dump, "dump is null");
            requireNonNull(walk, "walk is null");
            requireNonNull(logPath, "logPath is null");
            logs = List.copyOf(requireNonNull(logs, "logs is null"));
            links = Map.copyOf(requireNonNull(links, "links is null"));
        }

        /**
         * Whether what nginx writes to this path reaches the runtime's log: the path is the container's
         * stdout or stderr, or a link to one (as the official image's log files are).
         */
        public boolean toRuntimeLog(String path) {
            return STD.contains(path) || STD.contains(links.getOrDefault(path, ""));
        }
    }

    private static final Set<String> STD = Set.of("/dev/stdout", "/dev/stderr", "/proc/self/fd/1",
            "/proc/self/fd/2", "/dev/fd/1", "/dev/fd/2");
    private static final Pattern LINK = Pattern.compile(
            "(/[A-Za-z0-9._/-]{1,255}) ([A-Za-z0-9._/-]{0,255})");

    /** The one fix for a master in a container that was not read. */
    public static final String INSTALL_HINT = "install the root helper that reads masters in containers (java -jar "
            + "chatops-bot.jar host-setup nginx502 prints it and how) and allow it in sudoers, exactly: " + Nginx502Probes.CONTAINER_SUDOERS_LINE;

    public ContainerScan {
        masters = Map.copyOf(requireNonNull(masters, "masters is null"));
    }

    public static ContainerScan none() {
        return new ContainerScan(Map.of(), false);
    }

    public static ContainerScan parse(String output, LogWindow window) {
        Map<Integer, Master> out = new LinkedHashMap<>();
        boolean more = false;
        Parts p = null;
        for (Sections.Section s : Sections.parse(output)) {
            switch (s.name()) {
                case "container" -> {
                    if (p != null) {
                        out.putIfAbsent(p.pid, p.build(window));
                    }
                    p = s.attr("pid").matches("[1-9]\\d{0,9}") ? new Parts(s) : null;
                }
                case "container-dump" -> {
                    if (p != null) {
                        p.dump = content(s);
                    }
                }
                case "container-dump-exit" -> {
                    if (p != null && s.attr("code").matches("\\d{1,3}")) {
                        p.dumpExit = Integer.parseInt(s.attr("code"));
                    }
                }
                case "container-walk" -> {
                    if (p != null) {
                        p.walk = content(s);
                    }
                }
                case "container-log" -> {
                    if (p != null) {
                        p.format = s.attr("format");
                        p.logPath = s.attr("path").matches("/[A-Za-z0-9._/-]{1,400}") ? s.attr("path") : "";
                        p.log = content(s);
                    }
                }
                case "container-links" -> {
                    if (p != null) {
                        for (String l : content(s).split("\n")) {
                            Matcher m = LINK.matcher(l);
                            if (m.matches() && p.links.size() < 16) {
                                p.links.putIfAbsent(m.group(1), m.group(2));
                            }
                        }
                    }
                }
                case "more-containers" -> more = true;
                default -> {
                }
            }
        }
        if (p != null) {
            out.putIfAbsent(p.pid, p.build(window));
        }
        return new ContainerScan(out, more);
    }

    /** The lines the container wrote, without the {@code |} the helper put before each. */
    private static String content(Sections.Section s) {
        StringBuilder sb = new StringBuilder();
        for (String l : s.lines()) {
            if (l.startsWith("|")) {
                sb.append(l, 1, l.length()).append('\n');
            }
        }
        return sb.toString();
    }

    private static final class Parts {
        final int pid;
        final Container container;
        String dump = "";
        int dumpExit = -1;
        String walk = "";
        String format = "";
        String logPath = "";
        String log = "";
        final Map<String, String> links = new LinkedHashMap<>();

        Parts(Sections.Section s) {
            pid = Integer.parseInt(s.attr("pid"));
            container = new Container(s.attr("runtime"), s.attr("id"), s.attr("name"), s.attr("project"),
                    s.attr("service"), s.attr("namespace"), s.attr("pod"), s.attr("container"));
        }

        Master build(LogWindow window) {
            List<LogExcerpt> logs = new ArrayList<>();
            ContainerLogs.Streams streams = switch (format) {
                case "json-file" -> ContainerLogs.jsonFile(log);
                case "cri" -> ContainerLogs.cri(log);
                default -> null;
            };
            if (streams != null && !logPath.isEmpty()) {
                // a 4 MiB tail usually starts inside a line: the decoders skip what is not a whole record, so
                // nothing more is dropped here
                logs.add(window.cut(LogExcerpt.Kind.ERROR, logPath + " (stderr)", String.join("\n", streams.stderr()),
                        false));
                logs.add(window.cut(LogExcerpt.Kind.ACCESS, logPath + " (stdout)", String.join("\n", streams.stdout()),
                        false));
            }
            return new Master(pid, container, dump, dumpExit, walk, streams == null ? "" : logPath, logs, links);
        }
    }
}
