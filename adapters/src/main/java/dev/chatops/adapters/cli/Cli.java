package dev.chatops.adapters.cli;

import static java.util.Objects.requireNonNull;

import dev.chatops.adapters.app.BotApp;
import dev.chatops.adapters.manage.ManagementServer;
import dev.chatops.adapters.render.HistoryText;
import dev.chatops.adapters.render.HostText;
import dev.chatops.adapters.render.ExplanationJson;
import dev.chatops.adapters.render.ExplanationText;
import dev.chatops.adapters.render.JsonRenderer;
import dev.chatops.adapters.render.TextRenderer;
import dev.chatops.adapters.slack.SlackApiErrors;
import dev.chatops.adapters.slack.SlackBot;
import dev.chatops.config.BotConfig;
import dev.chatops.config.ConfigLoader;
import dev.chatops.config.Durations;
import dev.chatops.config.SlackSettings;
import dev.chatops.core.dispatch.CheckRequest;
import dev.chatops.core.dispatch.DispatchListener;
import dev.chatops.core.dispatch.Requester;
import dev.chatops.core.error.BotException;
import dev.chatops.core.evidence.EvidenceFile;
import dev.chatops.core.history.CauseTally;
import dev.chatops.core.history.History;
import dev.chatops.core.history.HistoryException;
import dev.chatops.core.history.StoredReport;
import dev.chatops.core.host.Host;
import dev.chatops.core.redact.Redactor;
import dev.chatops.core.registry.CheckRegistry;
import dev.chatops.core.report.Report;
import dev.chatops.core.run.CheckRun;
import dev.chatops.core.schedule.Schedule;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Explanation;
import dev.chatops.core.spi.HostSetup;
import dev.chatops.core.spi.PastedText;
import dev.chatops.core.spi.Setting;
import dev.chatops.core.spi.Verdict;
import dev.chatops.core.sweep.Sweep;
import dev.chatops.core.sweep.SweepResult;
import dev.chatops.core.sweep.SweepScheduler;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The command line (contracts.md): {@code check}, {@code replay}, {@code serve}, {@code checks},
 * {@code sweep}, {@code history}, {@code stats}, {@code host-setup}, {@code explain}.
 * Exit codes: 0 a report was produced, 2 bad usage or config, 3 host not allowed, 4 host
 * unreachable or refused us. Errors go to stderr as one sentence saying what to do.
 */
public final class Cli {

    public static final int OK = 0;
    public static final int USAGE = 2;
    public static final int UNREACHABLE = 4;

    static final String USAGE_TEXT = """
            usage:
              check <check> <host> [--config FILE] [--format text|json] [--fresh] [--save-evidence FILE [--raw]]
              replay <check> --evidence FILE [--config FILE] [--format text|json]
              serve [--config FILE]
              checks [--config FILE]
              sweep <schedule-name> [--config FILE] [--format text|json]
              history <host> [--since 24h] [--config FILE]
              stats [--config FILE]
              host-setup <check>
              explain <check> [FILE|-] [--config FILE] [--format text|json]   (pasted log lines; stdin by default)
            """;

    /** The most reports {@code history} lists; {@code --since} narrows it. */
    static final int HISTORY_ROWS = 200;

    private final PrintStream out;
    private final PrintStream err;
    private final ConfigLoader loader;
    private final Path cwd;
    private final Clock clock;
    private final Function<BotConfig, BotApp> assemble;
    private final InputStream in;

    public Cli(PrintStream out, PrintStream err, ConfigLoader loader, Path cwd, Clock clock,
               Function<BotConfig, BotApp> assemble) {
        this(out, err, loader, cwd, clock, assemble, System.in);
    }

    /** @param in what {@code explain} reads when no file is named */
    public Cli(PrintStream out, PrintStream err, ConfigLoader loader, Path cwd, Clock clock,
               Function<BotConfig, BotApp> assemble, InputStream in) {
        this.in = requireNonNull(in, "in is null");
        this.out = requireNonNull(out, "out is null");
        this.err = requireNonNull(err, "err is null");
        this.loader = requireNonNull(loader, "loader is null");
        this.cwd = requireNonNull(cwd, "cwd is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.assemble = requireNonNull(assemble, "assemble is null");
    }

    /** The production command line: real config, real transports, checks from the class path. */
    public static Cli standard(PrintStream out, PrintStream err) {
        Clock clock = Clock.systemUTC();
        return new Cli(out, err, ConfigLoader.fromEnvironment(), Path.of("").toAbsolutePath(), clock,
                config -> BotApp.start(config, clock));
    }

    public int run(String... args) {
        try {
            if (args.length == 0 || Set.of("-h", "--help", "help").contains(args[0])) {
                out.print(USAGE_TEXT);
                return args.length == 0 ? USAGE : OK;
            }
            Args a = Args.parse(List.of(args).subList(1, args.length));
            return switch (args[0]) {
                case "check" -> check(a);
                case "replay" -> replay(a);
                case "checks" -> checks(a);
                case "serve" -> serve(a);
                case "sweep" -> sweep(a);
                case "host-setup" -> hostSetup(a);
                case "history" -> history(a);
                case "stats" -> stats(a);
                case "explain" -> explain(a);
                default -> throw BotException.badInput("unknown command `" + args[0]
                        + "`; the commands are check, replay, serve, checks, sweep, history, stats, host-setup and "
                        + "explain (run with --help for usage)");
            };
        } catch (BotException e) {
            err.println(HostText.forTerminalKeepingLines(e.getMessage()));
            return e.category().exitCode();
        } catch (HistoryException e) {
            err.println(HostText.forTerminal(e.getMessage()));
            return BotException.Category.EXTERNAL.exitCode();
        }
    }

    /** A host's kept reports, newest first: when, verdict or leading cause, who asked and where. */
    private int history(Args a) {
        a.allow("config", "since");
        String host = a.positional(1, "history <host> [--since 24h]").get(0);
        if (!Host.isValidName(host)) {
            throw BotException.badInput("`" + HostText.forTerminal(host) + "` is not a host name (letters, digits, '.', "
                    + "'_', '-' only)");
        }
        Duration since = a.value("since").map(Cli::since).orElse(Duration.ofHours(24));
        try (BotApp app = assemble.apply(config(a))) {
            History history = app.history().orElseThrow(() -> BotException.badInput("this bot keeps no history"));
            Instant from = clock.instant().minus(since);
            List<StoredReport> reports = history.reports(host, from, HISTORY_ROWS + 1);
            if (reports.isEmpty()) {
                out.println(host + ": no reports since " + HistoryText.when(from) + " (--since " + Durations.format(since)
                        + ")");
                return OK;
            }
            boolean more = reports.size() > HISTORY_ROWS;
            List<StoredReport> shown = more ? reports.subList(0, HISTORY_ROWS) : reports;
            out.println(host + ": " + shown.size() + (shown.size() == 1 ? " report" : " reports") + " since "
                    + HistoryText.when(from) + ", newest first" + (more ? " (only the newest " + HISTORY_ROWS
                    + "; narrow --since for older ones)" : ""));
            HistoryText.reports(shown).forEach(l -> out.println(HostText.forTerminal(l)));
        }
        return OK;
    }

    /** Confirmed and rejected answers per cause: how often the bot's leading cause was the real one. */
    private int stats(Args a) {
        a.allow("config");
        a.positional(0, "stats");
        try (BotApp app = assemble.apply(config(a))) {
            History history = app.history().orElseThrow(() -> BotException.badInput("this bot keeps no history"));
            List<CauseTally> tallies = history.tallies();
            if (tallies.isEmpty()) {
                out.println("no answers yet: engineers record them with This was it / Not it on a report in Slack");
                return OK;
            }
            HistoryText.tallies(tallies).forEach(l -> out.println(HostText.forTerminal(l)));
        }
        return OK;
    }

    private static Duration since(String text) {
        Duration d;
        try {
            d = Durations.parse(text);
        } catch (RuntimeException e) {
            throw BotException.badInput("--since must be a duration like 24h, 7d or 30m, not `" + HostText.forTerminal(
                    text) + "`");
        }
        if (d.isZero() || d.isNegative() || d.compareTo(Duration.ofDays(3650)) > 0) {
            throw BotException.badInput("--since must be longer than zero and at most 3650d");
        }
        return d;
    }

    private int check(Args a) {
        a.allow("config", "format", "fresh", "save-evidence", "raw");
        List<String> words = a.positional(2, "check <check> <host>");
        if (a.flag("raw") && a.value("save-evidence").isEmpty()) {
            throw BotException.badInput("--raw only applies to --save-evidence FILE; add it or drop --raw");
        }
        Renderer renderer = renderer(a);
        try (BotApp app = assemble.apply(config(a))) {
            return check(a, words, renderer, app);
        }
    }

    private int check(Args a, List<String> words, Renderer renderer, BotApp app) {
        reportProblems(app.registry());
        // the report is kept once it is given: the store opens while the host is checked
        CheckRun run = app.dispatcher().handle(new CheckRequest(words.get(0), words.get(1), a.flag("fresh"),
                Requester.cli()), new DispatchListener() {
                    @Override
                    public void started() {
                        app.openHistoryAhead();
                    }
                });
        Optional<String> saveTo = a.value("save-evidence");
        if (saveTo.isPresent() && run.evidence().isPresent()) {
            Path file = cwd.resolve(saveTo.get());
            try {
                if (a.flag("raw")) {
                    err.println("warning: " + file + " holds the probes' output unredacted (passwords, tokens, "
                            + "cookies); it is readable by you only, keep it that way and delete it when done");
                    EvidenceFile.writeRaw(run.evidence().get(), file);
                } else {
                    EvidenceFile.write(run.evidence().get(), file);
                }
            } catch (IOException e) {
                throw BotException.badInput("cannot write evidence to " + file + ": " + e.getMessage());
            }
        }
        out.print(renderer.render(run.report()));
        if (run.report().verdict() == Verdict.UNREACHABLE) {
            err.println(HostText.forTerminal(Redactor.redact(run.report().summary())));
            return UNREACHABLE;
        }
        return OK;
    }

    private int replay(Args a) {
        a.allow("evidence", "format", "config");
        List<String> words = a.positional(1, "replay <check> --evidence FILE");
        Renderer renderer = renderer(a);
        Path file = cwd.resolve(a.value("evidence").orElseThrow(() -> BotException.badInput(
                "replay needs --evidence FILE, a file written by check --save-evidence")));
        Evidence evidence = EvidenceFile.read(file);
        BotApp app = assemble.apply(configOrClassPathOnly(a));
        Check check = app.dispatcher().check(words.get(0));
        if (!evidence.check().equals(check.name())) {
            throw BotException.badInput("evidence file " + file + " was collected by check " + evidence.check()
                    + ", not " + check.name() + "; replay it with: replay " + evidence.check() + " --evidence " + file);
        }
        out.print(renderer.render(app.runner().replay(check, evidence)));
        return OK;
    }

    /**
     * What pasted log lines say, with no host: the lines come from a file or stdin, read up to the size
     * {@link PastedText} reads, so an endless pipe cannot hold the command.
     */
    private int explain(Args a) {
        a.allow("config", "format");
        if (a.words().isEmpty() || a.words().size() > 2) {
            a.positional(1, "explain <check> [FILE|-]");
        }
        String format = a.value("format").orElse("text");
        if (!format.equals("text") && !format.equals("json")) {
            throw BotException.badInput("--format must be text or json, not `" + format + "`");
        }
        String source = a.words().size() == 2 ? a.words().get(1) : "-";
        BotApp app = assemble.apply(configOrClassPathOnly(a));
        Check check = app.dispatcher().check(a.words().get(0));
        String text;
        try {
            text = source.equals("-") ? bounded(in) : readFile(cwd.resolve(source));
        } catch (IOException e) {
            throw BotException.badInput("cannot read " + (source.equals("-") ? "stdin" : source) + ": " + e.getMessage());
        }
        Explanation x = check.explain(PastedText.of(text)).orElseThrow(() -> BotException.badInput("check "
                + check.name() + " does not read pasted log lines; run it on a host instead: check " + check.name()
                + " <host>"));
        app.dispatcher().recordExplained(Requester.cli(), check.name(), x.diagnosis().verdict());
        out.print(format.equals("json") ? new ExplanationJson().render(check.name(), x)
                : new ExplanationText().render(check.name(), x));
        return OK;
    }

    private static String readFile(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such file (give a log file, or - for stdin)");
        }
        try (InputStream s = Files.newInputStream(file)) {
            return bounded(s);
        }
    }

    /** At most what {@link PastedText} reads, as UTF-8 (4 bytes a character at most); the rest is not read. */
    private static String bounded(InputStream s) throws IOException {
        byte[] bytes = s.readNBytes(PastedText.MAX_CHARS * 4 + 4);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    private int checks(Args a) {
        a.allow("config");
        a.positional(0, "checks");
        BotApp app = assemble.apply(configOrClassPathOnly(a));
        CheckRegistry registry = app.registry();
        if (registry.all().isEmpty()) {
            out.println("no checks loaded");
        }
        for (Check c : registry.all()) {
            out.println(c.name() + "  (" + registry.origin(c.name()) + ")");
            out.println("    " + c.help());
            for (Setting s : c.settings()) {
                out.println("    setting " + s.name() + ": " + s.describe() + ". " + s.help());
            }
        }
        reportProblems(registry);
        return OK;
    }

    /**
     * What an operator installs once on each host for a check, as a shell script to run as root: each file
     * written root-owned with its mode, then the sudoers lines to add (with visudo) as comments.
     */
    private int hostSetup(Args a) {
        a.allow("config");
        List<String> words = a.positional(1, "host-setup <check>");
        BotApp app = assemble.apply(configOrClassPathOnly(a));
        Check check = app.registry().all().stream().filter(c -> c.name().equals(words.get(0))).findFirst()
                .orElseThrow(() -> BotException.badInput("no check named `" + words.get(0) + "`; `checks` lists them"));
        HostSetup setup = check.hostSetup();
        out.println("#!/bin/sh");
        out.println("# what the " + check.name() + " check needs installed once on each host: run this as root there");
        if (setup.isEmpty()) {
            out.println("# nothing: the " + check.name() + " check needs no helper on the host");
            return OK;
        }
        out.println("set -e");
        for (HostSetup.File f : setup.files()) {
            String end = "CHATOPS_HOST_FILE_END";
            if (f.text().lines().anyMatch(end::equals)) {
                throw new IllegalStateException("the text of " + f.path() + " holds its own end marker");
            }
            String dir = f.path().substring(0, f.path().lastIndexOf('/'));
            out.println("install -d -o root -g root -m 0755 " + dir);
            out.println("install -o root -g root -m " + f.mode() + " /dev/stdin " + f.path() + " <<'" + end + "'");
            out.print(f.text().endsWith("\n") ? f.text() : f.text() + "\n");
            out.println(end);
        }
        if (!setup.sudoers().isEmpty()) {
            out.println("# then allow it in sudoers, exactly (visudo -f /etc/sudoers.d/chatops; use the bot's user"
                    + " if it is not chatops):");
            setup.sudoers().forEach(l -> out.println("#   " + l));
        }
        return OK;
    }

    /**
     * Runs the Slack bot and its schedules until the process is stopped (or this thread is
     * interrupted); then lets the conversations under way finish for a while and stops the runs.
     */
    private int serve(Args a) {
        a.allow("config");
        a.positional(0, "serve");
        BotConfig config = config(a);
        BotApp app = assemble.apply(config);
        SlackBot bot;
        try {
            reportProblems(app.registry());
            bot = SlackBot.start(config, app.dispatcher(), clock, app.history(),
                    app.metrics().<SlackApiErrors>map(m -> m::slackApiError).orElse(SlackApiErrors.NONE));
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
        Optional<SweepScheduler> schedules;
        Optional<ManagementServer> management;
        Optional<String> schedulesRefused;
        try {
            management = app.startManagement(Map.of("slack", bot::connectionProblem));
            schedulesRefused = app.claimSchedules();
            schedules = schedulesRefused.isPresent() ? Optional.empty()
                    : Optional.of(app.startSchedules(bot.sweepPublisher()));
        } catch (RuntimeException e) {
            bot.close();
            app.close();
            throw e;
        }
        AtomicBoolean said = new AtomicBoolean();
        Runnable stopping = () -> {
            // the bot first, so what it still posts can use the runs; then the schedules and the runs
            bot.close();
            app.close();
            if (said.compareAndSet(false, true)) {
                err.println("stopped serving");
            }
        };
        // on SIGTERM the logging system may already be shut down, so the last word goes to stderr
        Thread stop = new Thread(stopping, "slack-bot-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        err.println("serving " + String.join(", ", config.commands().keySet().stream().sorted().toList()) + " in "
                + (bot.mode() == SlackSettings.Mode.HTTP
                        ? "HTTP mode on port " + bot.httpPort().orElseThrow() + SlackBot.EVENTS_PATH
                        : "Socket Mode")
                + "; stop with Ctrl-C");
        management.ifPresent(m -> err.println("health and metrics on http://"
                + m.address().getAddress().getHostAddress() + ":" + m.port() + ManagementServer.HEALTH_PATH + " and "
                + ManagementServer.METRICS_PATH));
        schedulesRefused.ifPresent(err::println);
        for (Schedule s : schedules.isPresent() ? config.schedules() : List.<Schedule>of()) {
            int hosts = Sweep.hosts(s, config.hosts()).size();
            err.println("schedule " + s.name() + ": " + s.check() + " on " + hosts + (hosts == 1 ? " host" : " hosts")
                    + ", posted to " + s.channel() + schedules.get().nextRun(s.name())
                            .map(at -> ", next at " + at.atZone(s.zone()).toOffsetDateTime() + " " + s.zone().getId())
                            .orElse(""));
        }
        try {
            bot.awaitStop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopping.run();
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down and the hook has stopped the bot
            }
        }
        return OK;
    }

    private int sweep(Args a) {
        a.allow("config", "format");
        List<String> words = a.positional(1, "sweep <schedule-name>");
        String format = a.value("format").orElse("text");
        if (!format.equals("text") && !format.equals("json")) {
            throw BotException.badInput("--format must be text or json, not `" + format + "`");
        }
        BotConfig config = config(a);
        Schedule schedule = config.schedule(words.get(0)).orElseThrow(() -> BotException.badInput(
                config.schedules().isEmpty()
                        ? "no schedules are configured" + config.source().map(f -> " in " + f).orElse("")
                                + "; add a schedules: entry (name, cron, zone, channel, check, hosts or tags)"
                                + " or pass --config FILE"
                        : "unknown schedule `" + words.get(0) + "`; configured schedules: "
                                + String.join(", ", config.schedules().stream().map(Schedule::name).toList())));
        try (BotApp app = assemble.apply(config)) {
            reportProblems(app.registry());
            SweepResult result = app.sweep().run(schedule);
            out.print(format.equals("json") ? SweepOutput.json(result) : SweepOutput.text(result, clock));
        }
        return OK;
    }

    private void reportProblems(CheckRegistry registry) {
        // a plugin's own exception text is quoted in these, so it is made inert like host text
        registry.problems().forEach(p -> err.println(HostText.forTerminal("plugin problem: " + p.message() + " ["
                + p.source() + "]")));
    }

    /**
     * For commands that contact no host: the given config, or none at all. A {@code bot.yaml} that
     * happens to lie in the working directory (a shared folder, an unpacked incident archive) must
     * not decide which plugin code runs, so only the class path's checks are loaded then.
     */
    private BotConfig configOrClassPathOnly(Args a) {
        return a.value("config").isPresent() ? config(a) : BotConfig.builtInDefault();
    }

    private BotConfig config(Args a) {
        Optional<String> given = a.value("config");
        if (given.isPresent()) {
            return loader.load(cwd.resolve(given.get()));
        }
        Path local = cwd.resolve("bot.yaml");
        if (!Files.isRegularFile(local)) {
            return BotConfig.builtInDefault();
        }
        requireOwnFile(local);
        return loader.load(local);
    }

    /**
     * A {@code bot.yaml} picked up only because it lies in the working directory is used when it is
     * the user's own (or root's) and nobody else may change it: a config names the SSH key, the hosts
     * and the audit file, so one planted in a shared folder must not be obeyed unasked.
     */
    private static void requireOwnFile(Path file) {
        PosixFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, PosixFileAttributes.class);
        } catch (IOException | UnsupportedOperationException e) {
            return; // loading it reports what is wrong with it
        }
        String owner = attrs.owner().getName();
        String me = System.getProperty("user.name");
        if (!owner.equals(me) && !owner.equals("root")) {
            throw BotException.badInput(file + " in the working directory is owned by " + owner + ", not by you, so it "
                    + "is not used unasked; pass --config " + file + " if you trust it");
        }
        if (attrs.permissions().contains(PosixFilePermission.GROUP_WRITE)
                || attrs.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            throw BotException.badInput(file + " in the working directory is writable by its group or by others, so it "
                    + "is not used unasked; run chmod go-w " + file + " or pass --config " + file + " if you trust it");
        }
    }

    private interface Renderer {
        String render(Report report);
    }

    private static Renderer renderer(Args a) {
        String format = a.value("format").orElse("text");
        return switch (format) {
            case "text" -> new TextRenderer()::render;
            case "json" -> new JsonRenderer()::render;
            default -> throw BotException.badInput("--format must be text or json, not `" + format + "`");
        };
    }

    /** Options and positional words, checked against what each command accepts. */
    private record Args(Map<String, String> options, List<String> words) {

        private static final Set<String> FLAGS = Set.of("fresh", "raw");

        static Args parse(List<String> args) {
            Map<String, String> options = new HashMap<>();
            List<String> words = new ArrayList<>();
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (!arg.startsWith("--")) {
                    words.add(arg);
                    continue;
                }
                String name = arg.substring(2);
                String value;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (FLAGS.contains(name)) {
                    value = "true";
                } else if (i + 1 < args.size()) {
                    value = args.get(++i);
                } else {
                    throw BotException.badInput("--" + name + " needs a value");
                }
                if (options.put(name, value) != null) {
                    throw BotException.badInput("--" + name + " is given twice");
                }
            }
            return new Args(options, words);
        }

        void allow(String... names) {
            Set<String> allowed = Set.of(names);
            for (String name : options.keySet()) {
                if (!allowed.contains(name)) {
                    throw BotException.badInput("unknown option --" + name + "; this command takes "
                            + String.join(", ", allowed.stream().sorted().map(n -> "--" + n).toList()));
                }
            }
        }

        List<String> positional(int count, String usage) {
            if (words.size() != count) {
                throw BotException.badInput("expected `" + usage + "`" + (words.size() > count
                        ? " but got extra words: " + String.join(" ", words.subList(count, words.size()))
                        : ""));
            }
            return words;
        }

        Optional<String> value(String name) {
            return Optional.ofNullable(options.get(name));
        }

        boolean flag(String name) {
            return options.containsKey(name);
        }
    }
}
