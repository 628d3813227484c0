package dev.chatops.adapters.bench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.chatops.adapters.app.BotApp;
import dev.chatops.adapters.cli.Cli;
import dev.chatops.adapters.render.JsonRenderer;
import dev.chatops.adapters.slack.SlackAckBench;
import dev.chatops.config.BotConfig;
import dev.chatops.config.ConfigLoader;
import dev.chatops.core.dispatch.CheckRequest;
import dev.chatops.core.dispatch.Dispatcher;
import dev.chatops.core.dispatch.Requester;
import dev.chatops.core.host.Host;
import dev.chatops.core.report.Report;
import dev.chatops.core.run.CheckRun;
import dev.chatops.core.spi.Verdict;
import dev.chatops.core.transport.TransportSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's Java side, run by bench/run with the test class path (not a test: it prints
 * figures and appends them to a results file). Each mode runs in its own JVM:
 *
 * <ul>
 *   <li>{@code diagnose}: one warm diagnosis (request in, JSON report out, through the real
 *       dispatcher, runner and SSH transport) against {@code ssh host 'bash -s' < check-nginx-502.sh},
 *       interleaved; then the repeat within the cache's time to live; then a 1 MiB against a 1 GiB
 *       error log;</li>
 *   <li>{@code slack}: acknowledgement times of signed slash commands over HTTP to the real Bolt app;</li>
 *   <li>{@code sweep}: {@code sweep <schedule>} over the fleet's host entries against
 *       {@code parallel-ssh}, interleaved, with this JVM's resident memory.</li>
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
                case "sweep" -> bench.sweep();
                default -> throw new IllegalArgumentException("unknown mode " + argv[0] + "; diagnose, slack or sweep");
            };
        } catch (RuntimeException e) {
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

        // where the time goes: the SSH connection alone, on each side
        Host host = dispatcher.host(hostName);
        List<Long> connect = new ArrayList<>();
        List<Long> sshTrue = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            try (TransportSession session = app.transport().open(host)) {
                connect.add(System.nanoTime() - start);
            }
            sshTrue.add(byHand.connectOnly(target).nanos());
        }
        results.put("diag.bot.connect", Samples.ofNanos(connect));
        results.put("diag.ssh.connect", Samples.ofNanos(sshTrue));

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

        // figure 5: the same host with a 1 MiB and a 1 GiB error log
        if (args.containsKey("error-log-tool")) {
            for (String size : List.of("1M", "1G")) {
                long made = makeErrorLog(size);
                results.put("log." + size + ".bytes", made);
                botDiagnosis(dispatcher, hostName, true);
                botDiagnosis(dispatcher, hostName, true);
                List<Long> times = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    long start = System.nanoTime();
                    last = botDiagnosis(dispatcher, hostName, true);
                    times.add(System.nanoTime() - start);
                }
                results.put("log." + size, Samples.ofNanos(times));
                results.put("log." + size + ".verdict", last.verdict().name().toLowerCase());
            }
            makeErrorLog("restore");
        }
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

    private int slack() {
        BotConfig config = config();
        BotApp app = BotApp.start(config, Clock.systemUTC());
        SlackAckBench.Outcome outcome = SlackAckBench.run(app.dispatcher(), "/nginx502 " + arg("host"),
                intArg("warmup"), intArg("requests"), Integer.parseInt(args.getOrDefault("clients", "1")));
        results.put("slack.ack", Samples.ofNanos(outcome.ackNanos()));
        results.put("slack.acks", outcome.kinds().entrySet().stream()
                .map(e -> e.getValue() + "×" + e.getKey()).reduce((a, b) -> a + ";" + b).orElse("none")
                .replace(' ', '_'));
        results.put("slack.threads", outcome.threadsPosted());
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
        for (int i = 0; i < runs; i++) {
            if (!first.unsupported()) {
                Sweeping s = botSweep(schedule, hosts);
                bot.add(s.nanos());
                peakDuringSweeps = Math.max(peakDuringSweeps, memory.peakSampledMib());
            }
            pssh.add(byHand.parallelSsh(target, hostsFile, hosts, parallel).nanos());
        }
        if (!bot.isEmpty()) {
            results.put("sweep.bot", Samples.ofNanos(bot));
            results.put("sweep.rss.peak", peakDuringSweeps);
            results.put("sweep.rss.hwm", ResidentMemory.highWaterMib());
            results.put("sweep.heap.max", Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0));
        }
        results.put("sweep.pssh", Samples.ofNanos(pssh));
        memory.close();
        return 0;
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
        Map<String, Integer> verdicts = new TreeMap<>();
        collectVerdicts(JsonParser.parseString(out.toString(StandardCharsets.UTF_8)), verdicts);
        int checked = verdicts.entrySet().stream().filter(e -> !e.getKey().equals("unreachable"))
                .mapToInt(Map.Entry::getValue).sum();
        if (checked != hosts) {
            throw new IllegalStateException("the sweep checked " + checked + " of " + hosts + " host entries; verdicts "
                    + verdicts + (said.isEmpty() ? "" : "; stderr: " + said));
        }
        return new Sweeping(nanos, false, "");
    }

    private static void collectVerdicts(JsonElement e, Map<String, Integer> into) {
        if (e.isJsonArray()) {
            e.getAsJsonArray().forEach(x -> collectVerdicts(x, into));
        } else if (e.isJsonObject()) {
            JsonObject o = e.getAsJsonObject();
            if (o.has("verdict") && o.get("verdict").isJsonPrimitive()) {
                into.merge(o.get("verdict").getAsString(), 1, Integer::sum);
            }
            o.entrySet().stream().filter(x -> !x.getKey().equals("verdict")).forEach(x -> collectVerdicts(x.getValue(), into));
        }
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
