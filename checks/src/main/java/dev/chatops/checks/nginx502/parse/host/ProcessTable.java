package dev.chatops.checks.nginx502.parse.host;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The host's processes as {@code ps -eo pid,ppid,user,etimes,rss,args} listed them. */
public record ProcessTable(List<Proc> processes) {

    /** Programs that listen on ports but are never the application behind nginx. */
    private static final Set<String> INFRASTRUCTURE = Set.of("nginx", "sshd", "systemd", "systemd-resolved",
            "systemd-networkd", "dbus-daemon", "chronyd", "ntpd", "rpcbind", "master", "exim4", "sendmail", "dnsmasq",
            "containerd", "dockerd", "docker-proxy", "process_api", "cupsd", "avahi-daemon", "named", "unbound",
            "postgres", "mysqld", "mariadbd", "redis-server", "memcached", "mongod", "sshd:", "rsyslogd", "cron",
            "snmpd", "zabbix_agentd", "node_exporter", "prometheus", "containerd-shim", "kubelet", "kube-proxy");

    public record Proc(int pid, int ppid, String user, long elapsedSeconds, long rssKb, String args) {
        public Proc {
            requireNonNull(user, "user is null");
            requireNonNull(args, "args is null");
        }

        /** The program name: {@code php-fpm8.2}, {@code node}, {@code python3}. */
        public String program() {
            String first = SPACES.split(args, 2)[0];
            if (first.endsWith(":")) {
                first = first.substring(0, first.length() - 1);
            }
            int slash = first.lastIndexOf('/');
            return slash >= 0 ? first.substring(slash + 1) : first;
        }
    }

    // compiled once: a process table has hundreds of lines, each read many times a run
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern PID = Pattern.compile("\\d{1,9}");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,18}");

    public ProcessTable {
        processes = List.copyOf(requireNonNull(processes, "processes is null"));
    }

    public static ProcessTable parse(String psOutput) {
        List<Proc> out = new ArrayList<>();
        for (String line : psOutput.split("\n")) {
            String[] f = SPACES.split(line.strip(), 6);
            if (f.length < 6 || !PID.matcher(f[0]).matches() || !PID.matcher(f[1]).matches()) {
                continue;
            }
            long etimes = NUMBER.matcher(f[3]).matches() ? Long.parseLong(f[3]) : -1;
            long rss = NUMBER.matcher(f[4]).matches() ? Long.parseLong(f[4]) : -1;
            out.add(new Proc(Integer.parseInt(f[0]), Integer.parseInt(f[1]), f[2], etimes, rss, f[5]));
        }
        return new ProcessTable(out);
    }

    public Optional<Proc> byPid(int pid) {
        return processes.stream().filter(p -> p.pid() == pid).findFirst();
    }

    public List<Proc> children(int pid) {
        return processes.stream().filter(p -> p.ppid() == pid).toList();
    }

    public List<Proc> matching(String programPrefix) {
        String p = programPrefix.toLowerCase(Locale.ROOT);
        return processes.stream().filter(pr -> pr.program().toLowerCase(Locale.ROOT).startsWith(p)).toList();
    }

    public static boolean isInfrastructure(String program) {
        String p = program.toLowerCase(Locale.ROOT);
        return INFRASTRUCTURE.contains(p) || p.startsWith("systemd") || p.startsWith("sshd");
    }
}
