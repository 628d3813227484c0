package dev.chatops.checks.nginx502.probe;

import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.spi.Setting;
import dev.chatops.core.spi.Settings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The optional root helper {@code nginx502-root}: the first batch's root commands ({@code ss -ltxnp},
 * {@code dmesg}, the audit log's tail, {@code find /proc … -exe -ls}) in one {@code sudo -n} call instead of
 * one each. It is asked first; when it is not installed, not allowed, or answers anything but its own
 * complete output, the same commands run one by one as before (the fallback), and the diagnosis reads
 * the same results either way.
 */
public final class RootHelper {

    /** Where {@code host-setup nginx502} installs it: a fixed path, so one exact sudoers line allows it. */
    public static final String PATH = "/usr/local/libexec/chatops/nginx502-root";
    public static final String SUDOERS_LINE = "chatops ALL=(root) NOPASSWD: " + PATH + " \"\"";
    /** Its probe's name in the evidence. */
    public static final String PROBE = "root";
    /**
     * {@code checks: nginx502: rootHelper: false} for a fleet without the helper: the four commands run one
     * sudo call each from the first batch on, without a refused sudo in each host's auth log per run.
     */
    public static final Setting SETTING = Setting.bool("rootHelper", true, "Whether each run asks the root helper "
            + PATH + " first (one sudo call for four root commands); false runs them one sudo call each from the "
            + "start, for hosts without it.");

    private static final String MARK = "@@nginx502-root ";
    private static final Pattern EXIT = Pattern.compile("exit=(\\d{1,3}) truncated=([01])");

    /** The commands it runs, in the order it prints them, as the probes they stand for. */
    static final List<Probe> PER_PROBE = List.of(
            new Probe(Nginx502Probes.LISTEN, "ss -ltxnp", Duration.ofSeconds(5), 1024 * 1024, true),
            // the kernel ring buffer is bounded (log_buf_len), so dmesg's output is too
            new Probe(Nginx502Probes.KERNEL_LOG, "dmesg", Duration.ofSeconds(5), 2 * 1024 * 1024, true),
            new Probe(Nginx502Probes.AUDIT_LOG, "tail -c 1048576 /var/log/audit/audit.log", Duration.ofSeconds(5),
                    1024 * 1024 + 1024, true),
            new Probe(Nginx502Probes.NGINX_EXE, Nginx502Probes.EXE_COMMAND, Duration.ofSeconds(5), 2 * 1024 * 1024,
                    true));

    private RootHelper() {
    }

    /** The commands the helper runs, as the probes that run them one by one without it. */
    public static List<Probe> perProbe() {
        return PER_PROBE;
    }

    /** The helper's probe: one fixed program without arguments; it bounds each command itself. */
    static Probe probe() {
        return new Probe(PROBE, PATH, Duration.ofSeconds(10), 8 * 1024 * 1024, true);
    }

    /** The first batch's root probes: the helper's, or with {@link #SETTING} false the four commands themselves. */
    static List<Probe> firstBatch(Settings settings) {
        return settings.bool(SETTING.name(), true) ? List.of(probe()) : PER_PROBE;
    }

    /** The script {@code host-setup nginx502} installs. */
    static String script() {
        return Scripts.load("nginx502-root", Map.of());
    }

    /**
     * The per-probe root commands, when the helper was asked and did not answer and they have not run yet;
     * else nothing. {@code asRun} is the evidence as collected, {@code read} the same through {@link #expand}
     * (which leaves out a helper that did not answer), so the helper's output is read once.
     */
    public static List<Probe> fallback(Evidence asRun, Evidence read) {
        if (asRun.probe(PROBE).isEmpty() || read.probe(PROBE).isPresent()) {
            return List.of();
        }
        return PER_PROBE.stream().filter(p -> asRun.probe(p.name()).isEmpty()).toList();
    }

    /**
     * Whether everything the follow-up is chosen from is in, in evidence read through {@link #expand}: the first
     * batch's user probes, and the root commands, through the helper or one by one.
     */
    public static boolean firstBatchIn(Evidence read) {
        return Stream.concat(PER_PROBE.stream().map(Probe::name),
                        Stream.of(Nginx502Probes.HOST, Nginx502Probes.NGINX, Nginx502Probes.PHP_FPM))
                .allMatch(name -> read.probe(name).isPresent());
    }

    /**
     * The evidence as the rules read it: the helper's parts as the probes they stand for (a probe that ran on
     * its own wins), or, when the helper did not answer, without it, as if it had never been asked.
     */
    public static Evidence expand(Evidence evidence) {
        Optional<ProbeResult> helper = evidence.probe(PROBE);
        if (helper.isEmpty()) {
            return evidence;
        }
        Map<String, ProbeResult> probes = new LinkedHashMap<>(evidence.probes());
        Optional<Map<String, ProbeResult>> parts = parse(helper.get());
        if (parts.isPresent()) {
            parts.get().forEach(probes::putIfAbsent);
        } else {
            probes.remove(PROBE);
        }
        return new Evidence(evidence.check(), evidence.host(), evidence.collectedAt(), evidence.window(), probes,
                evidence.settings());
    }

    /**
     * The helper's parts as probe results, or empty unless its output is complete and exactly in its own
     * form: a version line, each part in order (its name, its output behind {@code |}, its exit status, its
     * stderr behind {@code !}), an end line. The commands' text never starts a line of the helper's own.
     */
    static Optional<Map<String, ProbeResult>> parse(ProbeResult helper) {
        if (!helper.ok() || helper.truncated()) {
            return Optional.empty();
        }
        String[] lines = helper.stdout().split("\n", -1);
        int i = 0;
        if (lines.length < 2 || !lines[i++].equals(MARK + "version=1")) {
            return Optional.empty();
        }
        Map<String, ProbeResult> out = new LinkedHashMap<>();
        for (Probe p : PER_PROBE) {
            if (i >= lines.length || !lines[i++].equals(MARK + "part=" + p.name())) {
                return Optional.empty();
            }
            StringBuilder stdout = new StringBuilder();
            while (i < lines.length && lines[i].startsWith("|")) {
                stdout.append(lines[i++], 1, lines[i - 1].length()).append('\n');
            }
            Matcher m = i < lines.length && lines[i].startsWith(MARK) ? EXIT.matcher(lines[i].substring(MARK.length()))
                    : null;
            if (m == null || !m.matches()) {
                return Optional.empty();
            }
            i++;
            StringBuilder stderr = new StringBuilder();
            while (i < lines.length && lines[i].startsWith("!")) {
                stderr.append(lines[i++], 1, lines[i - 1].length()).append('\n');
            }
            out.put(p.name(), new ProbeResult(PATH + ": " + p.command(), Integer.parseInt(m.group(1)),
                    stdout.toString(), stderr.toString(), helper.ms(), m.group(2).equals("1")));
        }
        // the end line, then only the newline that ends it
        if (i != lines.length - 2 || !lines[i].equals(MARK + "end") || !lines[i + 1].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(out);
    }
}
