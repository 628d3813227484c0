package dev.chatops.adapters.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.chatops.adapters.app.BotApp;
import dev.chatops.adapters.cli.Cli;
import dev.chatops.adapters.render.JsonRenderer;
import dev.chatops.adapters.slack.FullKeptEvidence;
import dev.chatops.adapters.slack.SlackAckBench;
import dev.chatops.config.BotConfig;
import dev.chatops.config.ConfigLoader;
import dev.chatops.core.dispatch.CheckRequest;
import dev.chatops.core.dispatch.Dispatcher;
import dev.chatops.core.dispatch.Requester;
import dev.chatops.core.host.Host;
import dev.chatops.core.report.Report;
import dev.chatops.core.run.CheckRun;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.spi.Verdict;
import dev.chatops.core.transport.TransportSession;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.ref.Reference;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;

/**
 * The benchmark's Java side, run by bench/run with the test class path (not a test: it prints
 * figures and appends them to a results file). Each mode runs in its own JVM:
 *
 * <ul>
 *   <li>{@code diagnose}: one warm diagnosis (request in, JSON report out, through the real
 *       dispatcher, runner and SSH transport) against {@code ssh host 'bash -s' < check-nginx-502.sh},
 *       interleaved; then the repeat within the cache's time to live; then a 1 MiB against a 1 GiB
 *       error log;</li>
 *   <li>{@code slack}: acknowledgement times of signed slash commands over HTTP to the real Bolt app,
 *       which runs in a JVM of its own ({@code slack-bot}) while this one plays Slack;</li>
 *   <li>{@code sweep}: {@code sweep <schedule>} over the fleet's host entries against
 *       {@code parallel-ssh}, interleaved, with this JVM's resident memory;</li>
 *   <li>{@code host-cpu}: the host's CPU per warm diagnosis, under a label (bench/run runs it with the
 *       root helper's sudo rule and without it), and which way the root commands ran;</li>
 *   <li>{@code keepalive}: warm diagnoses with {@code ssh.keepAlive} off and on, interleaved.</li>
 * </ul>
 *
 * A run that does not produce what it should (an unreachable report, a failed ssh) stops the
 * benchmark with the reason: a figure must never time a failure.
 */
public final class BotBench {

    private static final String CHECK = "nginx502";

    private final Map<String, String> args;
    private final Results results;

    private BotBench(Map<String, String> args) {
        this.args = args;
        this.results = new Results(Path.of(arg("out")));
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            System.err.println("usage: BotBench diagnose|slack|sweep --config FILE --out RESULTS [options]; "
                    + "bench/run passes them");
            System.exit(2);
        }
        Map<String, String> args = new HashMap<>();
        for (int i = 1; i < argv.length; i += 2) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                System.err.println("BotBench: options are --name value pairs, not `" + argv[i] + "`");
                System.exit(2);
            }
            args.put(argv[i].substring(2), argv[i + 1]);
        }
        BotBench bench = new BotBench(args);
        int rc;
        try {
            rc = switch (argv[0]) {
                case "diagnose" -> bench.diagnose();
                case "slack" -> bench.slack();
                case "slack-bot" -> bench.slackBot();
                case "sweep" -> bench.sweep();
                case "host-cpu" -> bench.hostCpu();
                case "keepalive" -> bench.keepAlive();
                default -> throw new IllegalArgumentException("unknown mode " + argv[0]
                        + "; diagnose, slack, sweep, host-cpu or keepalive");
            };
        } catch (Exception e) {
            System.err.println("bench: " + argv[0] + " failed: " + e.getMessage());
            e.printStackTrace();
            rc = 1;
        }
        // the bot's worker threads (Slack, queues) are not ours to stop one by one
        System.exit(rc);
    }

    // ------------------------------------------------------------------------------------------
    // diagnose: figures 1, 2 and 5

    private int diagnose() throws Exception {
        BotConfig config = config();
        BotApp app = BotApp.start(config, Clock.systemUTC());
        Dispatcher dispatcher = app.dispatcher();
        String hostName = arg("host");
        ByHand byHand = byHand();
        ByHand.Target target = target();
        int warmup = intArg("warmup");
        int runs = intArg("runs");

        for (int i = 0; i < warmup; i++) {
            botDiagnosis(dispatcher, hostName, true);
        }
        byHand.ssh(target);
        byHand.ssh(target);

        List<Long> bot = new ArrayList<>();
        List<Long> ssh = new ArrayList<>();
        Report last = null;
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            last = botDiagnosis(dispatcher, hostName, true);
            bot.add(System.nanoTime() - start);
            ssh.add(byHand.ssh(target).nanos());
        }
        results.put("diag.bot", Samples.ofNanos(bot));
        results.put("diag.ssh", Samples.ofNanos(ssh));
        results.put("diag.verdict", last.verdict().name().toLowerCase());
        results.put("diag.probes", last.probes().size());
        results.put("diag.inside.ms", last.durationMs());
        // each probe's own time in the last run (they overlap: up to 8 run at once on one connection)
        for (Report.ProbeSummary probe : last.probes()) {
            results.put("diag.probe." + probe.name().replace(' ', '_'), probe.ms() + "ms_exit_" + probe.exit()
                    + (probe.truncated() ? "_truncated" : ""));
        }

        // where the time goes: the SSH connection alone, on each side
        Host host = dispatcher.host(hostName);
        List<Long> connect = new ArrayList<>();
        List<Long> sshTrue = new ArrayList<>();
        List<Long> sshCurve = new ArrayList<>();
        List<Long> close = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            TransportSession session = app.transport().open(host);
            long opened = System.nanoTime();
            connect.add(opened - start);
            session.close();
            close.add(System.nanoTime() - opened);
            sshTrue.add(byHand.connectOnly(target, List.of()).nanos());
            // OpenSSH 9's default key exchange is the post-quantum sntrup761x25519; the bot uses curve25519
            sshCurve.add(byHand.connectOnly(target, List.of("-o", "KexAlgorithms=curve25519-sha256")).nanos());
        }
        results.put("diag.bot.connect", Samples.ofNanos(connect));
        results.put("diag.bot.close", Samples.ofNanos(close));
        results.put("diag.ssh.connect", Samples.ofNanos(sshTrue));
        results.put("diag.ssh.connect.curve25519", Samples.ofNanos(sshCurve));

        // where the CPU goes, per diagnosis: the bot, the ssh client, and the host (sshd and everything it ran)
        CpuTime cpu = new CpuTime(Long.parseLong(arg("sshd-pid")), Long.parseLong(arg("clock-ticks")));
        List<Long> botCpu = new ArrayList<>();
        List<Long> botHostCpu = new ArrayList<>();
        List<Long> sshCpu = new ArrayList<>();
        List<Long> sshHostCpu = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long host0 = cpu.hostNanos();
            long bot0 = CpuTime.botNanos();
            botDiagnosis(dispatcher, hostName, true);
            botCpu.add(CpuTime.botNanos() - bot0);
            long host1 = cpu.hostNanos();
            botHostCpu.add(host1 - host0);
            long client0 = cpu.clientsNanos();
            byHand.ssh(target);
            sshCpu.add(cpu.clientsNanos() - client0);
            sshHostCpu.add(cpu.hostNanos() - host1);
        }
        results.put("cpu.bot.client", Samples.ofNanos(botCpu));
        results.put("cpu.bot.host", Samples.ofNanos(botHostCpu));
        results.put("cpu.ssh.client", Samples.ofNanos(sshCpu));
        results.put("cpu.ssh.host", Samples.ofNanos(sshHostCpu));

        // the host's CPU time for each probe alone, on a connection of its own, less an empty connection's
        Check check = dispatcher.check(CHECK);
        CheckRun full = dispatcher.handle(new CheckRequest(CHECK, hostName, true, Requester.cli()));
        List<Probe> probes = new ArrayList<>(check.probes(dispatcher.options()));
        // the follow-up as the first batch asks for it (asked with everything, a check names nothing new)
        full.evidence().ifPresent(e -> {
            Map<String, ProbeResult> first = new LinkedHashMap<>(e.probes());
            first.keySet().retainAll(probes.stream().map(Probe::name).toList());
            probes.addAll(check.followUp(new Evidence(e.check(), e.host(), e.collectedAt(),
                    e.window(), first, e.settings()), dispatcher.options()));
        });
        List<Long> empty = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long host0 = cpu.hostNanos();
            app.transport().open(host).close();
            empty.add(cpu.hostNanos() - host0);
        }
        double emptyMs = Samples.ofNanos(empty).median();
        results.put("cpu.probe.connection", emptyMs);
        // the plumbing of one probe (an exec channel, the login shell, timeout(1), sh): `true`, 20 times
        Probe nothing = Probe.of("true", "true");
        long before = cpu.hostNanos();
        try (TransportSession session = app.transport().open(host)) {
            for (int i = 0; i < 20; i++) {
                session.run(List.of(nothing));
            }
        }
        results.put("cpu.probe.channel", Math.max(0, (cpu.hostNanos() - before) / 1e6 - emptyMs) / 20);
        for (Probe probe : probes) {
            List<Long> hostCpu = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                long host0 = cpu.hostNanos();
                try (TransportSession session = app.transport().open(host)) {
                    session.run(List.of(probe));
                }
                hostCpu.add(cpu.hostNanos() - host0);
            }
            results.put("cpu.probe." + probe.name().replace(' ', '_'),
                    Math.max(0, Samples.ofNanos(hostCpu).median() - emptyMs));
        }

        // figure 2: the same request again within the time to live
        botDiagnosis(dispatcher, hostName, true);
        List<Long> repeat = new ArrayList<>();
        int cached = 0;
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            Report r = botDiagnosis(dispatcher, hostName, false);
            repeat.add(System.nanoTime() - start);
            cached += r.cached() ? 1 : 0;
        }
        results.put("cache.bot", Samples.ofNanos(repeat));
        results.put("cache.hits", cached + "/" + runs);

        // figure 5: the same host with a 1 MiB and a 1 GiB error log, in alternating blocks so that
        // neither size gets the quieter moments of a shared machine
        if (args.containsKey("error-log-tool")) {
            Map<String, List<Long>> bySize = new TreeMap<>();
            int perBlock = (runs + 1) / 2;
            for (int block = 0; block < 2; block++) {
                for (String size : List.of("1M", "1G")) {
                    results.put("log." + size + ".bytes", makeErrorLog(size));
                    botDiagnosis(dispatcher, hostName, true);
                    for (int i = 0; i < perBlock; i++) {
                        long start = System.nanoTime();
                        last = botDiagnosis(dispatcher, hostName, true);
                        bySize.computeIfAbsent(size, k -> new ArrayList<>()).add(System.nanoTime() - start);
                    }
                    results.put("log." + size + ".verdict", last.verdict().name().toLowerCase());
                }
            }
            bySize.forEach((size, times) -> results.put("log." + size, Samples.ofNanos(times)));
            makeErrorLog("restore");
        }

        // for comparison: the command line, a fresh JVM for each diagnosis
        List<Long> cold = new ArrayList<>();
        for (int i = 0; i < Math.min(runs, 5); i++) {
            cold.add(coldCli(hostName));
        }
        results.put("diag.cold", Samples.ofNanos(cold));
        if (args.containsKey("launcher")) {
            // as the jar is started from a shell: the launcher, with its class data sharing archive
            List<Long> launched = new ArrayList<>();
            for (int i = 0; i < Math.min(runs, 5); i++) {
                launched.add(coldCli(hostName, List.of(arg("launcher"))));
            }
            results.put("diag.cold.launcher", Samples.ofNanos(launched));
        }
        return 0;
    }

    // ------------------------------------------------------------------------------------------
    // host-cpu: the host's CPU per diagnosis, one way of running the root commands

    private int hostCpu() {
        BotApp app = BotApp.start(config(), Clock.systemUTC());
        Dispatcher dispatcher = app.dispatcher();
        String hostName = arg("host");
        String label = arg("label");
        CpuTime cpu = new CpuTime(Long.parseLong(arg("sshd-pid")), Long.parseLong(arg("clock-ticks")));
        for (int i = 0; i < intArg("warmup"); i++) {
            botDiagnosis(dispatcher, hostName, true);
        }
        int runs = intArg("runs");
        List<Long> wall = new ArrayList<>();
        List<Long> host = new ArrayList<>();
        long first = cpu.hostNanos();
        CheckRun last = null;
        for (int i = 0; i < runs; i++) {
            long host0 = cpu.hostNanos();
            long start = System.nanoTime();
            last = dispatcher.handle(new CheckRequest(CHECK, hostName, true, Requester.cli()));
            wall.add(System.nanoTime() - start);
            if (last.report().verdict() == Verdict.UNREACHABLE) {
                throw new IllegalStateException("the bot could not check " + hostName + ": " + last.report().summary());
            }
            host.add(cpu.hostNanos() - host0);
        }
        String key = "hostcpu." + label;
        results.put(key, Samples.ofNanos(host));
        // the clock ticks of 10 ms blur single diagnoses; the mean over all of them does not
        results.put(key + ".mean", (cpu.hostNanos() - first) / 1e6 / runs);
        results.put(key + ".wall", Samples.ofNanos(wall));
        Map<String, ProbeResult> probes = last.evidence().orElseThrow().probes();
        ProbeResult helper = probes.get("root");
        results.put(key + ".path", helper != null && helper.ok() && !probes.containsKey("listen") ? "helper"
                : helper != null && probes.containsKey("listen") ? "fallback" : "neither");
        results.put(key + ".sudo", probes.values().stream().filter(r -> r.command().startsWith("sudo -n ")).count());
        results.put(key + ".probes", probes.size());
        results.put(key + ".verdict", last.report().verdict().name().toLowerCase() + (last.report().causes().isEmpty()
                ? "" : "_" + last.report().causes().get(0).id()));
        return 0;
    }

    // ------------------------------------------------------------------------------------------
    // keepalive: the same warm diagnoses with ssh.keepAlive off and on, interleaved

    private int keepAlive() {
        Dispatcher off = BotApp.start(config(), Clock.systemUTC()).dispatcher();
        Dispatcher on = BotApp.start(ConfigLoader.fromEnvironment().load(Path.of(arg("config-keepalive"))),
                Clock.systemUTC()).dispatcher();
        String hostName = arg("host");
        CpuTime cpu = new CpuTime(Long.parseLong(arg("sshd-pid")), Long.parseLong(arg("clock-ticks")));
        for (int i = 0; i < intArg("warmup"); i++) {
            botDiagnosis(off, hostName, true);
            botDiagnosis(on, hostName, true);
        }
        Map<String, List<Long>> wall = new TreeMap<>();
        Map<String, List<Long>> host = new TreeMap<>();
        for (int i = 0; i < intArg("runs"); i++) {
            for (Map.Entry<String, Dispatcher> d : List.of(Map.entry("off", off), Map.entry("on", on))) {
                long host0 = cpu.treeNanos();
                long start = System.nanoTime();
                botDiagnosis(d.getValue(), hostName, true);
                wall.computeIfAbsent(d.getKey(), k -> new ArrayList<>()).add(System.nanoTime() - start);
                host.computeIfAbsent(d.getKey(), k -> new ArrayList<>()).add(cpu.treeNanos() - host0);
            }
        }
        wall.forEach((k, v) -> results.put("keepalive." + k, Samples.ofNanos(v)));
        host.forEach((k, v) -> results.put("keepalive." + k + ".cpu", Samples.ofNanos(v)));
        return 0;
    }

    /** Request in, report out: what the bot does for {@code /nginx502 HOST}, minus Slack. */
    private static Report botDiagnosis(Dispatcher dispatcher, String host, boolean fresh) {
        CheckRun run = dispatcher.handle(new CheckRequest(CHECK, host, fresh, Requester.cli()));
        String json = new JsonRenderer().render(run.report());
        if (run.report().verdict() == Verdict.UNREACHABLE || json.isEmpty()) {
            throw new IllegalStateException("the bot could not check " + host + ": " + run.report().summary());
        }
        return run.report();
    }

    /** {@code check nginx502 HOST --fresh --format json} in a new JVM, as an engineer would start it by hand. */
    private long coldCli(String host) throws IOException, InterruptedException {
        return coldCli(host, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "dev.chatops.adapters.cli.Main"));
    }

    /** The same with {@code launch} as the way of starting the command line. */
    private long coldCli(String host, List<String> launch) throws IOException, InterruptedException {
        Path out = Path.of(arg("scratch"), "cold-cli.json");
        List<String> argv = new ArrayList<>(launch);
        argv.addAll(List.of("check", CHECK, host, "--config", arg("config"), "--format", "json", "--fresh"));
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        long start = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("check " + CHECK + " " + host + " in a new JVM took over 2 minutes");
        }
        long nanos = System.nanoTime() - start;
        if (p.exitValue() != 0) {
            throw new IllegalStateException("check " + CHECK + " " + host + " in a new JVM exited " + p.exitValue());
        }
        return nanos;
    }

    /** Runs bench/error-log: SIZE of old lines, then the log's own recent lines; returns the log's size. */
    private long makeErrorLog(String size) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(arg("error-log-tool"), arg("error-log"), size).inheritIO().start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(arg("error-log-tool") + " " + size + " failed");
        }
        return Files.size(Path.of(arg("error-log")));
    }

    // ------------------------------------------------------------------------------------------
    // slack: figure 3

    private int slack() throws Exception {
        String prefix = args.getOrDefault("figure", "slack.ack");
        SlackAckBench.Outcome outcome = SlackAckBench.run(apiUrl -> {
            Process bot = startSlackBot(apiUrl);
            int port;
            try {
                port = listeningPort(bot);
            } catch (IOException | RuntimeException e) {
                bot.destroyForcibly();
                throw e;
            }
            return new SlackAckBench.RunningBot() {
                @Override
                public int port() {
                    return port;
                }

                @Override
                public void close() throws Exception {
                    stopSlackBot(bot);
                }
            };
        }, "/nginx502 " + arg("host"), intArg("warmup"), intArg("requests"), intArg("clients"),
                intArg("per-second"));
        results.put(prefix, Samples.ofNanos(outcome.ackNanos()));
        results.put(prefix + ".kinds", outcome.kinds().entrySet().stream()
                .map(e -> e.getValue() + "× " + e.getKey()).reduce((a, b) -> a + " · " + b).orElse("none")
                .replace(' ', '_'));
        results.put(prefix + ".posts", outcome.messagesPosted());
        results.put(prefix + ".rate", intArg("per-second"));
        return 0;
    }

    /**
     * The bot in a JVM of its own, with this one's class path: {@code BotBench slack-bot}; with the
     * options {@code --bot-jvm-options} gives, separated by spaces as JAVA_OPTS (bench/run gives the
     * Docker image's), else with this one's.
     */
    private Process startSlackBot(String apiUrl) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        String botOptions = args.getOrDefault("bot-jvm-options", "").strip();
        if (botOptions.isEmpty()) {
            command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        } else {
            command.add("-XX:+ExitOnOutOfMemoryError");
            command.addAll(List.of(botOptions.split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BotBench.class.getName(), "slack-bot",
                "--config", arg("config"), "--api-url", apiUrl, "--out", arg("out")));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** The first line the bot's process prints: {@code listening PORT}. */
    private static int listeningPort(Process bot) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(bot.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("listening ")) {
            throw new IllegalStateException("the Slack bot's process did not start (it said " + line + ")");
        }
        return Integer.parseInt(line.substring("listening ".length()).strip());
    }

    /** Closing its stdin asks the bot to stop; it finishes the conversations under way first. */
    private static void stopSlackBot(Process bot) throws IOException, InterruptedException {
        bot.getOutputStream().close();
        if (!bot.waitFor(30, TimeUnit.SECONDS)) {
            bot.destroyForcibly();
        }
    }

    /** The bot's process for {@code slack}: serves until its stdin closes. */
    private int slackBot() throws IOException {
        BotApp app = BotApp.start(config(), Clock.systemUTC());
        try (var bot = SlackAckBench.serve(app.dispatcher(), arg("api-url"))) {
            System.out.println("listening " + bot.httpPort().orElseThrow());
            System.out.flush();
            while (System.in.read() >= 0) {
                // nothing is sent; end of input is the signal to stop
            }
        }
        return 0;
    }

    // ------------------------------------------------------------------------------------------
    // sweep: figures 4 and 6

    private int sweep() {
        ResidentMemory memory = ResidentMemory.sampleEvery(10);
        String schedule = arg("schedule");
        int hosts = intArg("hosts");
        int runs = intArg("runs");
        int parallel = intArg("parallel");
        ByHand byHand = byHand();
        ByHand.Target target = target();
        Path hostsFile = Path.of(arg("hosts-file"));
        // --kept-evidence full: the heap also holds what a serving bot keeps for the "Evidence file"
        // button at most, as the image's heap must
        FullKeptEvidence kept = switch (args.getOrDefault("kept-evidence", "none")) {
            case "full" -> FullKeptEvidence.fill();
            case "none" -> null;
            default -> throw new IllegalArgumentException("--kept-evidence takes full or none");
        };
        results.put("sweep.kept.evidence", kept == null ? 0 : kept.bytes() / (1024.0 * 1024.0));
        results.put("sweep.rss.start", ResidentMemory.currentMib());

        Sweeping first = botSweep(schedule, hosts);
        if (first.unsupported()) {
            results.put("sweep.bot", "unsupported");
            results.put("sweep.bot.why", first.why().replace(' ', '_'));
        }
        byHand.parallelSsh(target, hostsFile, hosts, parallel);

        List<Long> bot = new ArrayList<>();
        List<Long> pssh = new ArrayList<>();
        double peakDuringSweeps = 0;
        CpuTime cpu = new CpuTime(Long.parseLong(arg("sshd-pid")), Long.parseLong(arg("clock-ticks")));
        List<Long> botCpu = new ArrayList<>();
        List<Long> botHostCpu = new ArrayList<>();
        List<Long> psshCpu = new ArrayList<>();
        List<Long> psshHostCpu = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long host0 = cpu.hostNanos();
            if (!first.unsupported()) {
                long bot0 = CpuTime.botNanos();
                Sweeping s = botSweep(schedule, hosts);
                bot.add(s.nanos());
                botCpu.add(CpuTime.botNanos() - bot0);
                peakDuringSweeps = Math.max(peakDuringSweeps, memory.peakSampledMib());
            }
            long host1 = cpu.hostNanos();
            botHostCpu.add(host1 - host0);
            long client0 = cpu.clientsNanos();
            pssh.add(byHand.parallelSsh(target, hostsFile, hosts, parallel).nanos());
            psshCpu.add(cpu.clientsNanos() - client0);
            psshHostCpu.add(cpu.hostNanos() - host1);
        }
        if (!bot.isEmpty()) {
            results.put("cpu.sweep.bot.client", Samples.ofNanos(botCpu));
            results.put("cpu.sweep.bot.host", Samples.ofNanos(botHostCpu));
        }
        results.put("cpu.sweep.pssh.client", Samples.ofNanos(psshCpu));
        results.put("cpu.sweep.pssh.host", Samples.ofNanos(psshHostCpu));
        if (!bot.isEmpty()) {
            results.put("sweep.bot", Samples.ofNanos(bot));
            results.put("sweep.rss.peak", peakDuringSweeps);
            results.put("sweep.rss.hwm", ResidentMemory.highWaterMib());
            results.put("sweep.heap.max", Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0));
            // what stays reachable after the sweeps: the cached runs of every host, among others
            System.gc();
            Runtime rt = Runtime.getRuntime();
            results.put("sweep.heap.live", (rt.totalMemory() - rt.freeMemory()) / (1024.0 * 1024.0));
        }
        results.put("sweep.pssh", Samples.ofNanos(pssh));
        memory.close();
        Reference.reachabilityFence(kept);
        nativeMemorySummary(Path.of(arg("scratch"), "sweep-native-memory.txt"));
        return 0;
    }

    /** With -XX:NativeMemoryTracking=summary, what the JVM's resident memory is made of, in a file. */
    private static void nativeMemorySummary(Path file) {
        boolean tracking = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.startsWith("-XX:NativeMemoryTracking=") && !a.endsWith("=off"));
        if (!tracking) {
            return;
        }
        try {
            Object summary = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            Files.writeString(file, String.valueOf(summary));
            System.err.println("bench: native memory summary in " + file);
        } catch (Exception e) {
            System.err.println("bench: no native memory summary: " + e);
        }
    }

    /** One {@code sweep <schedule> --format json} through the command line's own code, in this JVM. */
    private record Sweeping(long nanos, boolean unsupported, String why) {
    }

    private Sweeping botSweep(String schedule, int hosts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = Cli.standard(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        long start = System.nanoTime();
        int rc = cli.run("sweep", schedule, "--config", arg("config"), "--format", "json");
        long nanos = System.nanoTime() - start;
        String said = err.toString(StandardCharsets.UTF_8).strip();
        if (rc != 0) {
            if (said.contains("unknown command")) {
                return new Sweeping(nanos, true, "this build has no sweep command");
            }
            throw new IllegalStateException("sweep " + schedule + " exited " + rc + ": " + said);
        }
        // {"hosts": [{"host", "verdict", "report": {...}}]}: every entry checked afresh, none unreachable
        Map<String, Integer> verdicts = new TreeMap<>();
        int fresh = 0;
        for (JsonElement e : JsonParser.parseString(out.toString(StandardCharsets.UTF_8)).getAsJsonObject()
                .getAsJsonArray("hosts")) {
            JsonObject line = e.getAsJsonObject();
            verdicts.merge(line.get("verdict").getAsString(), 1, Integer::sum);
            JsonObject report = line.getAsJsonObject("report");
            fresh += report.has("cached") && report.get("cached").getAsBoolean() ? 0 : 1;
        }
        int checked = verdicts.entrySet().stream().filter(e -> !e.getKey().equals("unreachable"))
                .mapToInt(Map.Entry::getValue).sum();
        if (checked != hosts || fresh != hosts) {
            throw new IllegalStateException("the sweep checked " + checked + " of " + hosts + " host entries ("
                    + fresh + " afresh); verdicts " + verdicts + (said.isEmpty() ? "" : "; stderr: " + said));
        }
        return new Sweeping(nanos, false, "");
    }

    // ------------------------------------------------------------------------------------------

    private BotConfig config() {
        return ConfigLoader.fromEnvironment().load(Path.of(arg("config")));
    }

    private ByHand byHand() {
        return new ByHand(Path.of(arg("script")), Path.of(arg("scratch")));
    }

    private ByHand.Target target() {
        return new ByHand.Target(arg("user"), "127.0.0.1", intArg("port"), Path.of(arg("key")),
                Path.of(arg("known-hosts")));
    }

    private String arg(String name) {
        String v = args.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return v;
    }

    private int intArg(String name) {
        return Integer.parseInt(arg(name));
    }
}
