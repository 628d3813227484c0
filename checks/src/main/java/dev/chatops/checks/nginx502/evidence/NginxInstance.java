package dev.chatops.checks.nginx502.evidence;

import static java.util.Objects.requireNonNull;

import dev.chatops.checks.nginx502.fix.Words;
import dev.chatops.checks.nginx502.parse.container.Container;
import dev.chatops.checks.nginx502.probe.Nginx502Probes;
import dev.chatops.nginx.config.NginxConfig;
import dev.chatops.nginx.log.LogExcerpt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One nginx master found on the host (or, when none runs, the installed binary's default config):
 * how it was started, the config it runs, what {@code nginx -t} thinks of it, and its logs.
 *
 * @param pid        the master's pid; 0 when nginx is not running
 * @param prefixArg  the {@code -p} argument the master was started with, empty if none
 * @param confArg    the {@code -c} argument, empty if none
 * @param configFromFiles whether the tree was read from the files because {@code nginx -T} failed
 * @param exe        how the binary is known to be the one running: {@link #VERIFIED} (its /proc/PID/exe),
 *                   {@link #ASSUMED} (a root-owned nginx in the usual places, not checked), or empty in
 *                   evidence recorded before the probe said so
 * @param gaps       what could not be read for this master and why, each a sentence with the one fix
 * @param container  the container it runs in, when it runs in one and the root helper named it
 */
public record NginxInstance(int pid, String masterUser, Optional<String> workerUser, String binary, String prefixArg,
                            String confArg, String prefix, String confPath, String version, NginxConfig config,
                            ConfigTest test, boolean configFromFiles, List<LogExcerpt> logs, String exe,
                            List<String> gaps, Optional<Container> container) {

    private static final Pattern RELATIVE_PATH = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._@+/~-]{0,255}");

    public static final String VERIFIED = "verified";
    public static final String ASSUMED = "assumed";
    /** No master runs: the installed binary, looked at for its default config. */
    public static final String INSTALLED = "installed";

    public NginxInstance {
        requireNonNull(masterUser, "masterUser is null");
        requireNonNull(workerUser, "workerUser is null");
        requireNonNull(binary, "binary is null");
        requireNonNull(prefixArg, "prefixArg is null");
        requireNonNull(confArg, "confArg is null");
        requireNonNull(prefix, "prefix is null");
        requireNonNull(confPath, "confPath is null");
        requireNonNull(version, "version is null");
        requireNonNull(config, "config is null");
        requireNonNull(test, "test is null");
        logs = List.copyOf(requireNonNull(logs, "logs is null"));
        requireNonNull(exe, "exe is null");
        gaps = List.copyOf(requireNonNull(gaps, "gaps is null"));
        requireNonNull(container, "container is null");
    }

    /** A master on the host itself. */
    public NginxInstance(int pid, String masterUser, Optional<String> workerUser, String binary, String prefixArg,
                         String confArg, String prefix, String confPath, String version, NginxConfig config,
                         ConfigTest test, boolean configFromFiles, List<LogExcerpt> logs, String exe,
                         List<String> gaps) {
        this(pid, masterUser, workerUser, binary, prefixArg, confArg, prefix, confPath, version, config, test,
                configFromFiles, logs, exe, gaps, Optional.empty());
    }

    /**
     * Everything that keeps this master's state from being known: its gaps, logs that are missing or
     * could not be read, a config that could not be obtained, no error log at all. Empty means its logs
     * for the window were read.
     */
    public List<String> blindSpots(Duration window) {
        List<String> out = new ArrayList<>(gaps);
        if (!gaps.isEmpty()) {
            return out;
        }
        if (config.isEmpty() && container.isPresent()) {
            out.add("the config of nginx master " + pid + " in " + container.get().label() + " could not be read: its "
                    + "nginx -T failed as an unprivileged user inside it" + (test.message().isEmpty() ? "" : " ("
                    + test.message() + ")") + " and its image has no sh to read the files with, so where it logs "
                    + "is unknown: run " + container.get().nginxCommand("-T") + " by hand");
        } else if (config.isEmpty()) {
            out.add("the config of nginx master " + pid + " could not be read (nginx -T failed"
                    + (test.message().isEmpty() ? "" : ": " + test.message()) + ", and its files are not readable by "
                    + "this user), so where it logs is unknown: make " + (confPath.isEmpty() ? "its config" : confPath)
                    + " and its includes readable by the bot's user");
        }
        for (LogExcerpt l : logs) {
            if (l.state() == LogExcerpt.State.UNREADABLE) {
                out.add(unreadable(l.path(), window));
            } else if (l.state() == LogExcerpt.State.MISSING) {
                out.add(l.path() + " (named in the config of master " + pid + ") does not exist, so what it logs now is "
                        + "unknown: " + reopenCommand() + " makes nginx open its logs again");
            }
        }
        if (!config.isEmpty() && logs(LogExcerpt.Kind.ERROR).isEmpty()) {
            out.add("no error log of nginx master " + pid + " was found in its config");
        }
        return out;
    }

    private static String unreadable(String path, Duration window) {
        if (path.startsWith("journal -u ")) {
            String unit = path.substring("journal -u ".length());
            return "the journal of " + unit + " is not readable by the bot's user and sudo -n journalctl was refused: "
                    + "add the user to group adm (sudo usermod -aG adm chatops), or allow in sudoers, "
                    + "NOPASSWD, exactly: /usr/bin/" + Nginx502Probes.journalCommand(unit, window);
        }
        String file = path.contains(" (syslog tag ") ? path.substring(0, path.indexOf(" (syslog tag ")) : path;
        return path + " is not readable by the bot's user and sudo -n tail was refused: add the user to group adm "
                + "(sudo usermod -aG adm chatops), or allow in sudoers, NOPASSWD, exactly: /usr/bin/tail -c "
                + Nginx502Probes.LOG_BYTES + " " + file;
    }

    /** The command that makes this master reopen its log files. */
    public String reopenCommand() {
        return container.map(c -> c.nginxCommand("-s reopen")).orElseGet(() -> command("-s reopen"));
    }

    public boolean running() {
        return pid > 0;
    }

    /** The command that reloads this instance, with its own -p/-c when it has them. */
    public String reloadCommand() {
        return container.map(c -> c.nginxCommand("-s reload")).orElseGet(() -> command("-s reload"));
    }

    /** The command that tests this instance's config. */
    public String testCommand() {
        return container.map(c -> c.nginxCommand("-t")).orElseGet(() -> command("-t"));
    }

    /**
     * The binary and -p/-c come from the host: each goes in as one validated word, else as {@code <PATH>} (the raw
     * value is in the evidence). A relative -c is nginx's own usage (relative to the prefix) and is kept when it
     * holds only plain characters and cannot be read as an option.
     */
    private String command(String action) {
        StringBuilder sb = new StringBuilder("sudo ").append(binary.isEmpty() ? "nginx"
                : Words.path(binary).orElse(Words.PATH));
        if (!prefixArg.isEmpty()) {
            sb.append(" -p ").append(Words.path(prefixArg).orElse(Words.PATH));
        }
        if (!confArg.isEmpty()) {
            sb.append(" -c ").append(Words.path(confArg).or(() -> relativePath(confArg)).orElse(Words.PATH));
        }
        return sb.append(' ').append(action).toString();
    }

    private static Optional<String> relativePath(String path) {
        return RELATIVE_PATH.matcher(path).matches() && !path.contains("..") ? Optional.of(Words.word(path))
                : Optional.empty();
    }

    /** The user nginx's workers run as: from the processes, else the {@code user} directive, else nobody. */
    public String effectiveWorkerUser() {
        return workerUser.or(() -> config.user()).orElse("nobody");
    }

    /** How to name this instance to people when several run. */
    public String label() {
        if (container.isPresent()) {
            return container.get().label() + " (master pid " + pid + ")";
        }
        return (confArg.isEmpty() ? confPath : confArg) + (pid > 0 ? " (master pid " + pid + ")" : "");
    }

    public List<LogExcerpt> logs(LogExcerpt.Kind kind) {
        return logs.stream().filter(l -> l.kind() == kind).toList();
    }
}
