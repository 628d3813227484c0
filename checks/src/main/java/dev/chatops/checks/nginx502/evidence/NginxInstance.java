package dev.chatops.checks.nginx502.evidence;

import static java.util.Objects.requireNonNull;

import dev.chatops.checks.nginx502.config.NginxConfig;
import dev.chatops.checks.nginx502.log.LogExcerpt;
import java.util.List;
import java.util.Optional;

/**
 * One nginx master found on the host (or, when none runs, the installed binary's default config):
 * how it was started, the config it runs, what {@code nginx -t} thinks of it, and its logs.
 *
 * @param pid        the master's pid; 0 when nginx is not running
 * @param prefixArg  the {@code -p} argument the master was started with, empty if none
 * @param confArg    the {@code -c} argument, empty if none
 * @param configFromFiles whether the tree was read from the files because {@code nginx -T} failed
 */
public record NginxInstance(int pid, String masterUser, Optional<String> workerUser, String binary, String prefixArg,
                            String confArg, String prefix, String confPath, String version, NginxConfig config,
                            ConfigTest test, boolean configFromFiles, List<LogExcerpt> logs) {

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
    }

    public boolean running() {
        return pid > 0;
    }

    /** The command that reloads this instance, with its own -p/-c when it has them. */
    public String reloadCommand() {
        StringBuilder sb = new StringBuilder("sudo ").append(binary.isEmpty() ? "nginx" : binary);
        if (!prefixArg.isEmpty()) {
            sb.append(" -p ").append(prefixArg);
        }
        if (!confArg.isEmpty()) {
            sb.append(" -c ").append(confArg);
        }
        return sb.append(" -s reload").toString();
    }

    /** The command that tests this instance's config. */
    public String testCommand() {
        return reloadCommand().replace(" -s reload", " -t");
    }

    /** The user nginx's workers run as: from the processes, else the {@code user} directive, else nobody. */
    public String effectiveWorkerUser() {
        return workerUser.or(() -> config.user()).orElse("nobody");
    }

    /** How to name this instance to people when several run. */
    public String label() {
        return (confArg.isEmpty() ? confPath : confArg) + (pid > 0 ? " (master pid " + pid + ")" : "");
    }

    public List<LogExcerpt> logs(LogExcerpt.Kind kind) {
        return logs.stream().filter(l -> l.kind() == kind).toList();
    }
}
