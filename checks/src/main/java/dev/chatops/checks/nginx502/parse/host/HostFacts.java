package dev.chatops.checks.nginx502.parse.host;

import static java.util.Objects.requireNonNull;

import dev.chatops.checks.nginx502.fix.Words;
import dev.chatops.checks.nginx502.parse.Sections;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The host as the {@code host} probe saw it: its clock and time zone, init system, limits, disks,
 * memory, socket counts, security modules and service units.
 */
public record HostFacts(Optional<Instant> now, ZoneOffset offset, OptionalLong uptimeSeconds, boolean systemd,
                        String initName, OptionalLong ulimitFiles, List<String> nameservers, List<Disk> disks,
                        List<Disk> inodes, Map<String, Long> meminfoKb, OptionalLong timeWait, String sockstat,
                        Map<Integer, Long> nginxOpenFileLimits, Optional<String> selinux, Map<String, Boolean> sebools,
                        boolean apparmorEnabled, List<String> initScripts, List<Unit> units, String identity,
                        Optional<HostsFile> hostsFile) {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}(%[A-Za-z0-9_.-]{1,16})?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252})");
    private static final int MAX_HOSTS_LINES = 200;
    private static final int MAX_NAMES_PER_LINE = 16;

    /**
     * The names /etc/hosts maps, lower-cased, each with its addresses in file order. nginx reads this file
     * only through the system resolver when it starts or reloads; its own {@code resolver} asks DNS servers.
     */
    public record HostsFile(Map<String, List<String>> byName) {
        public HostsFile {
            Map<String, List<String>> copy = new LinkedHashMap<>();
            byName.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            byName = java.util.Collections.unmodifiableMap(copy);
        }

        /** The addresses /etc/hosts gives a name (empty when it does not list it). */
        public List<String> addresses(String name) {
            return byName.getOrDefault(name.toLowerCase(java.util.Locale.ROOT).replaceFirst("\\.$", ""), List.of());
        }

        static HostsFile parse(List<String> lines) {
            Map<String, List<String>> out = new LinkedHashMap<>();
            for (String l : lines.subList(0, Math.min(lines.size(), MAX_HOSTS_LINES))) {
                String[] f = l.strip().split("\\s+");
                if (f.length < 2 || !(IPV4.matcher(f[0]).matches() || f[0].contains(":") && IPV6.matcher(f[0]).matches())) {
                    continue;
                }
                for (int i = 1; i < f.length && i <= MAX_NAMES_PER_LINE; i++) {
                    if (f[i].startsWith("#")) {
                        break;
                    }
                    if (NAME.matcher(f[i]).matches()) {
                        List<String> addrs = out.computeIfAbsent(f[i].toLowerCase(java.util.Locale.ROOT)
                                .replaceFirst("\\.$", ""), k -> new ArrayList<>());
                        if (!addrs.contains(f[0])) {
                            addrs.add(f[0]);
                        }
                    }
                }
            }
            return new HostsFile(out);
        }
    }

    /** A mounted filesystem: where, how full. */
    public record Disk(String filesystem, String mount, int usedPercent, long availableKb) {
    }

    /** A systemd service unit and, for failed or interesting ones, how it ended. */
    public record Unit(String name, String load, String active, String sub, Map<String, String> details) {
        public Unit {
            details = Map.copyOf(details);
        }

        public boolean failed() {
            return active.equals("failed");
        }
    }

    public HostFacts {
        requireNonNull(now, "now is null");
        requireNonNull(offset, "offset is null");
        requireNonNull(uptimeSeconds, "uptimeSeconds is null");
        requireNonNull(initName, "initName is null");
        requireNonNull(ulimitFiles, "ulimitFiles is null");
        nameservers = List.copyOf(nameservers);
        disks = List.copyOf(disks);
        inodes = List.copyOf(inodes);
        meminfoKb = Map.copyOf(meminfoKb);
        requireNonNull(timeWait, "timeWait is null");
        requireNonNull(sockstat, "sockstat is null");
        nginxOpenFileLimits = Map.copyOf(nginxOpenFileLimits);
        requireNonNull(selinux, "selinux is null");
        sebools = Map.copyOf(sebools);
        initScripts = List.copyOf(initScripts);
        units = List.copyOf(units);
        requireNonNull(identity, "identity is null");
        requireNonNull(hostsFile, "hostsFile is null");
    }

    public static HostFacts parse(String output) {
        List<Sections.Section> sections = Sections.parse(output);
        Map<String, String> kv = new HashMap<>();
        Sections.first(sections, "").ifPresent(s -> s.lines().forEach(l -> {
            int eq = l.indexOf('=');
            if (eq > 0) {
                kv.put(l.substring(0, eq), l.substring(eq + 1).strip());
            }
        }));
        Optional<Instant> now = number(kv.get("now")).stream().mapToObj(Instant::ofEpochSecond).findFirst();
        ZoneOffset offset = offset(kv.getOrDefault("tz", "+0000"));
        OptionalLong uptime = Optional.ofNullable(kv.get("uptime")).filter(s -> s.matches("\\d+(\\.\\d+)?"))
                .map(s -> OptionalLong.of((long) Double.parseDouble(s))).orElse(OptionalLong.empty());
        List<String> ns = lines(sections, "resolv").stream().map(l -> l.strip().split("\\s+"))
                .filter(f -> f.length >= 2).map(f -> f[1]).toList();
        Map<String, Long> mem = new LinkedHashMap<>();
        for (String l : lines(sections, "meminfo")) {
            String[] f = l.split("[:\\s]+");
            if (f.length >= 2 && f[1].matches("\\d+")) {
                mem.put(f[0], Long.parseLong(f[1]));
            }
        }
        String sockstat = String.join("\n", lines(sections, "sockstat"));
        OptionalLong timeWait = OptionalLong.empty();
        java.util.regex.Matcher tw = java.util.regex.Pattern.compile("timewait (\\d+)|\\btw (\\d+)").matcher(sockstat);
        if (tw.find()) {
            timeWait = OptionalLong.of(Long.parseLong(tw.group(1) != null ? tw.group(1) : tw.group(2)));
        }
        Map<Integer, Long> limits = new LinkedHashMap<>();
        for (String l : lines(sections, "limits")) {
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("^(?:pid|worker)=(\\d+) Max open files\\s+(\\d+|unlimited)").matcher(l);
            if (m.find() && !m.group(2).equals("unlimited")) {
                limits.put(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)));
            }
        }
        Optional<String> selinux = Optional.empty();
        Map<String, Boolean> bools = new LinkedHashMap<>();
        boolean apparmor = false;
        for (String l : lines(sections, "security")) {
            if (l.startsWith("getenforce=")) {
                selinux = Optional.of(l.substring(11).strip());
            } else if (l.contains(" --> ")) {
                String[] f = l.split(" --> ");
                bools.put(f[0].strip(), f[1].strip().equals("on"));
            } else if (l.startsWith("apparmor=")) {
                apparmor = l.substring(9).strip().equals("Y");
            }
        }
        List<Unit> units = units(lines(sections, "units"), lines(sections, "unit-details"));
        return new HostFacts(now, offset, uptime, "yes".equals(kv.get("systemd")), kv.getOrDefault("pid1", ""),
                number(kv.get("ulimit_n")), ns, disks(lines(sections, "df")), disks(lines(sections, "df-inodes")), mem,
                timeWait, sockstat, limits, selinux, bools, apparmor,
                lines(sections, "initd").stream().map(String::strip).filter(s -> !s.isEmpty()).toList(), units,
                kv.getOrDefault("id", ""), Sections.first(sections, "etc-hosts").map(s -> HostsFile.parse(s.lines())));
    }

    private static List<String> lines(List<Sections.Section> sections, String name) {
        return Sections.first(sections, name).map(Sections.Section::lines).orElse(List.of());
    }

    private static OptionalLong number(String s) {
        return s != null && s.matches("\\d+") ? OptionalLong.of(Long.parseLong(s)) : OptionalLong.empty();
    }

    static ZoneOffset offset(String tz) {
        try {
            if (tz.matches("[+-]\\d{4}")) {
                return ZoneOffset.of(tz.substring(0, 3) + ":" + tz.substring(3));
            }
        } catch (java.time.DateTimeException ignored) {
            // fall through to UTC
        }
        return ZoneOffset.UTC;
    }

    private static List<Disk> disks(List<String> lines) {
        List<Disk> out = new ArrayList<>();
        for (String l : lines) {
            String[] f = l.strip().split("\\s+");
            if (f.length >= 6 && f[4].endsWith("%") && f[4].substring(0, f[4].length() - 1).matches("\\d+")) {
                long avail = f[3].matches("\\d+") ? Long.parseLong(f[3]) : -1;
                out.add(new Disk(f[0], f[5], Integer.parseInt(f[4].substring(0, f[4].length() - 1)), avail));
            }
        }
        return out;
    }

    private static List<Unit> units(List<String> list, List<String> details) {
        Map<String, Map<String, String>> byId = new HashMap<>();
        Map<String, String> current = new HashMap<>();
        for (String l : details) {
            if (l.isBlank()) {
                if (current.containsKey("Id")) {
                    byId.put(current.get("Id"), current);
                }
                current = new HashMap<>();
                continue;
            }
            int eq = l.indexOf('=');
            if (eq > 0) {
                current.put(l.substring(0, eq), l.substring(eq + 1));
            }
        }
        if (current.containsKey("Id")) {
            byId.put(current.get("Id"), current);
        }
        List<Unit> out = new ArrayList<>();
        for (String l : list) {
            String[] f = l.strip().replace("●", "").strip().split("\\s+", 5);
            if (f.length >= 4 && f[0].endsWith(".service")) {
                out.add(new Unit(f[0], f[1], f[2], f[3], byId.getOrDefault(f[0], Map.of())));
            }
        }
        return out;
    }

    public Optional<Unit> unit(String name) {
        String n = name.endsWith(".service") ? name : name + ".service";
        return units.stream().filter(u -> u.name().equals(n)).findFirst();
    }

    public boolean hasInitScript(String name) {
        return initScripts.contains(name);
    }

    /** The command that restarts a service on this host: systemctl, else service(8), else empty. */
    public Optional<String> restartCommand(String service) {
        return serviceCommand(service, "restart");
    }

    /**
     * {@code systemctl ACTION NAME}, else {@code service NAME ACTION}, else empty; empty too when the name (read
     * from the host) is not a plain service name, so it never reaches a shell as anything but one word.
     */
    public Optional<String> serviceCommand(String service, String action) {
        Optional<String> name = Words.name(service);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        if (systemd) {
            return Optional.of("sudo systemctl " + action + " " + name.get());
        }
        if (hasInitScript(service)) {
            return Optional.of("sudo service " + name.get() + " " + action);
        }
        return Optional.empty();
    }
}
