package dev.chatops.checks.nginx502.parse.phpfpm;

import static java.util.Objects.requireNonNull;

import dev.chatops.checks.nginx502.parse.Sections;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * php-fpm on the host: running masters (with the config each was started with), worker counts per
 * pool, the pools' settings with file and line, and the php-fpm log lines of the window.
 *
 * @param unreadableLogs the php-fpm logs this user could not read (the follow-up reads them as root)
 */
public record PhpFpm(List<Master> masters, Map<String, Integer> workers, List<PhpFpmPool> pools, List<LogLine> log,
                     List<String> problems, List<String> logPaths, List<String> unreadableLogs) {

    public record Master(int pid, String config) {
    }

    /** A php-fpm log line: {@code [21-Nov-2026 10:08:39] WARNING: [pool www] server reached pm.max_children …}. */
    public record LogLine(LocalDateTime time, String level, String message, String raw) {
    }

    private static final Pattern MASTER = Pattern.compile("^\\s*(\\d+)\\s+\\d+\\s+\\S+\\s+php-fpm: master process \\((.*)\\)");
    private static final Pattern POOL = Pattern.compile("^\\s*\\d+\\s+(\\d+)\\s+\\S+\\s+php-fpm: pool (\\S+)");
    private static final Pattern LOG = Pattern.compile("^\\[(\\d{2}-\\w{3}-\\d{4} \\d{2}:\\d{2}:\\d{2})(?:\\.\\d+)?] (\\w+): (.*)$");
    private static final Pattern NUMBERED = Pattern.compile("^(\\d+):(.*)$");
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss", Locale.ENGLISH);

    public PhpFpm {
        masters = List.copyOf(requireNonNull(masters, "masters is null"));
        workers = Map.copyOf(requireNonNull(workers, "workers is null"));
        pools = List.copyOf(requireNonNull(pools, "pools is null"));
        log = List.copyOf(requireNonNull(log, "log is null"));
        problems = List.copyOf(requireNonNull(problems, "problems is null"));
        logPaths = List.copyOf(requireNonNull(logPaths, "logPaths is null"));
        unreadableLogs = List.copyOf(requireNonNull(unreadableLogs, "unreadableLogs is null"));
    }

    public static PhpFpm none() {
        return new PhpFpm(List.of(), Map.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }

    public static PhpFpm parse(String output) {
        List<Sections.Section> sections = Sections.parse(output);
        List<Master> masters = new ArrayList<>();
        Map<String, Integer> workers = new LinkedHashMap<>();
        Sections.first(sections, "processes").ifPresent(s -> s.lines().forEach(l -> {
            Matcher m = MASTER.matcher(l);
            if (m.find()) {
                masters.add(new Master(Integer.parseInt(m.group(1)), m.group(2)));
            }
            Matcher p = POOL.matcher(l);
            if (p.find()) {
                workers.merge(p.group(2), 1, Integer::sum);
            }
        }));
        List<PhpFpmPool> pools = new ArrayList<>();
        List<LogLine> log = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<String> logPaths = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        String conf = "";
        String logPath = "";
        for (Sections.Section s : sections) {
            switch (s.name()) {
                case "conf" -> conf = s.attr("path");
                case "file" -> pools.addAll(pools(s.attr("path"), s.lines(), conf));
                case "log" -> {
                    logPath = s.attr("path");
                    logPaths.add(logPath);
                    log.addAll(logLines(s.lines()));
                }
                case "log-unreadable" -> unreadable.add(logPath);
                case "log-missing" -> problems.add("php-fpm log " + logPath + " does not exist");
                case "log-window" -> log.addAll(logLines(s.lines()));
                default -> {
                }
            }
        }
        return new PhpFpm(masters, workers, dedupe(pools), log, problems, logPaths, unreadable);
    }

    private static List<PhpFpmPool> dedupe(List<PhpFpmPool> pools) {
        Map<String, PhpFpmPool> out = new LinkedHashMap<>();
        for (PhpFpmPool p : pools) {
            out.putIfAbsent(p.file() + "#" + p.name(), p);
        }
        return List.copyOf(out.values());
    }

    public static List<LogLine> logLines(List<String> lines) {
        List<LogLine> out = new ArrayList<>();
        for (String l : lines) {
            Matcher m = LOG.matcher(l);
            if (m.matches()) {
                try {
                    out.add(new LogLine(LocalDateTime.parse(m.group(1), LOG_TIME), m.group(2), m.group(3), l));
                } catch (DateTimeParseException ignored) {
                    // not a php-fpm log line after all
                }
            }
        }
        return out;
    }

    /** Pools defined in one ini-style file; the {@code [global]} section is not a pool. */
    static List<PhpFpmPool> pools(String file, List<String> lines, String conf) {
        List<PhpFpmPool> out = new ArrayList<>();
        String name = null;
        int at = 0;
        Map<String, PhpFpmPool.Setting> settings = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            // the probe prints "LINE:text" for each setting; plain text counts lines itself
            Matcher numbered = NUMBERED.matcher(lines.get(i));
            int lineNo = numbered.matches() ? Integer.parseInt(numbered.group(1)) : i + 1;
            String l = (numbered.matches() ? numbered.group(2) : lines.get(i)).strip();
            if (l.isEmpty() || l.startsWith(";") || l.startsWith("#")) {
                continue;
            }
            if (l.startsWith("[") && l.endsWith("]")) {
                if (name != null && !name.equals("global")) {
                    out.add(new PhpFpmPool(name, file, at, conf, substitute(settings, name)));
                }
                name = l.substring(1, l.length() - 1).strip();
                at = lineNo;
                settings = new HashMap<>();
                continue;
            }
            int eq = l.indexOf('=');
            if (eq > 0 && name != null) {
                String key = l.substring(0, eq).strip();
                String value = l.substring(eq + 1).strip();
                int comment = value.indexOf(" ;");
                if (comment >= 0) {
                    value = value.substring(0, comment).strip();
                }
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                settings.put(key, new PhpFpmPool.Setting(value, file, lineNo));
            }
        }
        if (name != null && !name.equals("global")) {
            out.add(new PhpFpmPool(name, file, at, conf, substitute(settings, name)));
        }
        return out;
    }

    private static Map<String, PhpFpmPool.Setting> substitute(Map<String, PhpFpmPool.Setting> settings, String pool) {
        Map<String, PhpFpmPool.Setting> out = new HashMap<>();
        settings.forEach((k, v) -> out.put(k, new PhpFpmPool.Setting(v.value().replace("$pool", pool), v.file(),
                v.line())));
        return out;
    }

    public boolean running() {
        return !masters.isEmpty();
    }

    /** Whether a master started with this config runs now. */
    public boolean running(String config) {
        return masters.stream().anyMatch(m -> m.config().equals(config));
    }

    /** The pools whose {@code listen} is this unix path or TCP address. */
    public List<PhpFpmPool> listeningOn(String unixPathOrHostPort) {
        return pools.stream().filter(p -> p.listen().map(l -> sameListen(l, unixPathOrHostPort)).orElse(false)).toList();
    }

    static boolean sameListen(String listen, String target) {
        if (listen.startsWith("/") || target.startsWith("/")) {
            return listen.equals(target);
        }
        String lp = listen.contains(":") ? listen.substring(listen.lastIndexOf(':') + 1) : listen;
        String tp = target.contains(":") ? target.substring(target.lastIndexOf(':') + 1) : target;
        if (!lp.equals(tp)) {
            return false;
        }
        String lh = listen.contains(":") ? listen.substring(0, listen.lastIndexOf(':')) : "0.0.0.0";
        String th = target.contains(":") ? target.substring(0, target.lastIndexOf(':')) : "";
        return lh.equals(th) || lh.equals("0.0.0.0") || lh.equals("[::]") || lh.equals("any") || th.isEmpty()
                || (lh.equals("127.0.0.1") && th.equals("localhost"));
    }

    /** {@code php8.2-fpm} for /etc/php/8.2/fpm/php-fpm.conf, {@code php-fpm} otherwise. */
    public static String serviceFor(String config) {
        Matcher m = Pattern.compile("/etc/php/(\\d+\\.\\d+)/fpm/").matcher(config);
        return m.find() ? "php" + m.group(1) + "-fpm" : "php-fpm";
    }

    public List<LogLine> maxChildrenWarnings() {
        return log.stream().filter(l -> l.message().contains("pm.max_children")).toList();
    }
}
