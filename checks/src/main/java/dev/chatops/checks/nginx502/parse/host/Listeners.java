package dev.chatops.checks.nginx502.parse.host;

import static java.util.Objects.requireNonNull;

import dev.chatops.nginx.config.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What listens on the host, from {@code ss -ltxnp} (or, in older evidence, {@code ss -ltnp} and {@code ss -lxnp}),
 * else {@code netstat}, else
 * {@code /proc/net}. {@code source} says which, so a report can say how it knows.
 */
public record Listeners(List<Listener> all, String source, boolean known) {

    private static final Pattern USERS = Pattern.compile("\\(\"([^\"]+)\",pid=(\\d+)");

    public Listeners {
        all = List.copyOf(requireNonNull(all, "all is null"));
        requireNonNull(source, "source is null");
    }

    public static Listeners unknown() {
        return new Listeners(List.of(), "none", false);
    }

    /**
     * From {@code ss} output: TCP and unix listeners in one text ({@code ss -ltxnp}, a Netid column first) or
     * apart ({@code ss -ltnp}, {@code ss -lxnp}); either part may be empty.
     */
    public static Listeners fromSs(String tcp, String unix) {
        List<Listener> out = new ArrayList<>();
        parseSs(tcp, false, out);
        parseSs(unix, true, out);
        return new Listeners(out, "ss", true);
    }

    private static void parseSs(String text, boolean unix, List<Listener> out) {
        for (String line : text.split("\n")) {
            String[] f = line.strip().split("\\s+");
            int state = -1;
            for (int i = 0; i < Math.min(f.length, 3); i++) {
                if (f[i].equals("LISTEN")) {
                    state = i;
                    break;
                }
            }
            if (state < 0 || f.length < state + 4) {
                continue;
            }
            String local = f[state + 3];
            List<String> programs = new ArrayList<>();
            List<Integer> pids = new ArrayList<>();
            Matcher m = USERS.matcher(line);
            while (m.find()) {
                if (!programs.contains(m.group(1))) {
                    programs.add(m.group(1));
                }
                pids.add(Integer.parseInt(m.group(2)));
            }
            int queued = f[state + 1].matches("\\d+") ? Integer.parseInt(f[state + 1]) : -1;
            int backlog = f[state + 2].matches("\\d+") ? Integer.parseInt(f[state + 2]) : -1;
            if (unix || local.startsWith("/") || local.startsWith("@")) {
                if (local.startsWith("/")) {
                    out.add(new Listener("", 0, Optional.of(local), programs, pids, queued, backlog));
                }
            } else {
                tcp(local, programs, pids).map(l -> new Listener(l.address(), l.port(), l.path(), l.programs(), l.pids(),
                        queued, backlog)).ifPresent(out::add);
            }
        }
    }

    private static Optional<Listener> tcp(String local, List<String> programs, List<Integer> pids) {
        int colon = local.lastIndexOf(':');
        if (colon < 0 || !local.substring(colon + 1).matches("\\d+")) {
            return Optional.empty();
        }
        String addr = local.substring(0, colon);
        return Optional.of(new Listener(addr, Integer.parseInt(local.substring(colon + 1)), Optional.empty(), programs,
                pids));
    }

    /** From {@code netstat -ltnp} and {@code netstat -lxnp} output. */
    public static Listeners fromNetstat(String text) {
        List<Listener> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 6 && f[0].startsWith("tcp") && line.contains("LISTEN")) {
                List<String> programs = new ArrayList<>();
                List<Integer> pids = new ArrayList<>();
                if (f.length >= 7 && f[6].contains("/")) {
                    String[] pp = f[6].split("/", 2);
                    if (pp[0].matches("\\d+")) {
                        pids.add(Integer.parseInt(pp[0]));
                        programs.add(pp[1].replaceAll(":$", ""));
                    }
                }
                tcp(f[3], programs, pids).ifPresent(out::add);
            } else if (f.length >= 7 && f[0].equals("unix") && line.contains("LISTENING")) {
                String path = f[f.length - 1];
                if (!path.startsWith("/")) {
                    continue;
                }
                List<String> programs = new ArrayList<>();
                List<Integer> pids = new ArrayList<>();
                Matcher pm = Pattern.compile("\\s(\\d+)/(\\S+)").matcher(line);
                if (pm.find()) {
                    pids.add(Integer.parseInt(pm.group(1)));
                    programs.add(pm.group(2).replaceAll(":$", ""));
                }
                out.add(new Listener("", 0, Optional.of(path), programs, pids));
            }
        }
        return new Listeners(out, "netstat", true);
    }

    /** From {@code /proc/net/tcp}, {@code /proc/net/tcp6} (LISTEN rows) and {@code /proc/net/unix}. */
    public static Listeners fromProc(String tcp, String unix) {
        List<Listener> out = new ArrayList<>();
        for (String line : tcp.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 4 || !f[3].equals("0A")) {
                continue;
            }
            String[] hp = f[1].split(":");
            if (hp.length != 2) {
                continue;
            }
            int port = Integer.parseInt(hp[1], 16);
            out.add(new Listener(hexAddress(hp[0]), port, Optional.empty(), List.of(), List.of()));
        }
        for (String line : unix.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 8 && f[f.length - 1].startsWith("/")) {
                out.add(new Listener("", 0, Optional.of(f[f.length - 1]), List.of(), List.of()));
            }
        }
        return new Listeners(out, "/proc/net", true);
    }

    static String hexAddress(String hex) {
        if (hex.length() == 8) {
            long v = Long.parseLong(hex, 16);
            return (v & 0xff) + "." + ((v >> 8) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 24) & 0xff);
        }
        if (hex.equals("00000000000000000000000000000000")) {
            return "[::]";
        }
        if (hex.equals("00000000000000000000000001000000")) {
            return "[::1]";
        }
        StringBuilder sb = new StringBuilder("[");
        for (int word = 0; word < 4; word++) {
            String w = hex.substring(word * 8, word * 8 + 8);
            // each 32-bit word is in host (little-endian) order
            String be = w.substring(6, 8) + w.substring(4, 6) + w.substring(2, 4) + w.substring(0, 2);
            sb.append(Integer.toHexString(Integer.parseInt(be.substring(0, 4), 16))).append(':')
                    .append(Integer.toHexString(Integer.parseInt(be.substring(4, 8), 16)));
            if (word < 3) {
                sb.append(':');
            }
        }
        return sb.append(']').toString();
    }

    /** The listeners a connect to this endpoint would reach. */
    public List<Listener> serving(Endpoint e) {
        return all.stream().filter(l -> l.serves(e)).toList();
    }

    public List<Listener> tcp() {
        return all.stream().filter(l -> !l.isUnix()).toList();
    }

    public List<Listener> unix() {
        return all.stream().filter(Listener::isUnix).toList();
    }
}
