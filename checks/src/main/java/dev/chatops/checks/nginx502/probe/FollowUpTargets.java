package dev.chatops.checks.nginx502.probe;

import static java.util.Objects.requireNonNull;

import dev.chatops.nginx.config.Endpoint;
import java.util.List;

/**
 * What the follow-up looks at, as values the first batch found: addresses, names, paths, users and units, each
 * as it was read, never as shell text. The follow-up validates each again before it quotes it into a command.
 *
 * @param upstreams   addresses to connect to, in order (the config's own first, so no cap pushes them out)
 * @param names       host names the configs resolve
 * @param trustFiles  certificate files a TLS fix may name
 * @param users       the users nginx's workers run as
 * @param configTests masters whose {@code nginx -t} root runs again, with the binary root said they run
 * @param containers  whether a master runs in a container, for the root helper to read
 * @param logs        canonical paths of logs the first batch could not read
 * @param journals    systemd units whose journal the first batch could not read
 * @param fpmLogs     php-fpm logs the first batch could not read
 */
public record FollowUpTargets(List<Upstream> upstreams, List<String> names, List<String> trustFiles,
                              List<String> users, List<ConfigTestTarget> configTests, boolean containers,
                              List<String> logs, List<String> journals, List<String> fpmLogs) {

    /** An address to try, and whether nginx speaks TLS to it. */
    public record Upstream(Endpoint endpoint, boolean tls) {
        public Upstream {
            requireNonNull(endpoint, "endpoint is null");
        }
    }

    /**
     * A master whose config root tests again: {@code instance} is its index in the first batch, which the
     * probe's name carries back.
     */
    public record ConfigTestTarget(int instance, String binary, String prefixArg, String confArg) {
        public ConfigTestTarget {
            requireNonNull(binary, "binary is null");
            requireNonNull(prefixArg, "prefixArg is null");
            requireNonNull(confArg, "confArg is null");
        }
    }

    public FollowUpTargets {
        upstreams = List.copyOf(requireNonNull(upstreams, "upstreams is null"));
        names = List.copyOf(requireNonNull(names, "names is null"));
        trustFiles = List.copyOf(requireNonNull(trustFiles, "trustFiles is null"));
        users = List.copyOf(requireNonNull(users, "users is null"));
        configTests = List.copyOf(requireNonNull(configTests, "configTests is null"));
        logs = List.copyOf(requireNonNull(logs, "logs is null"));
        journals = List.copyOf(requireNonNull(journals, "journals is null"));
        fpmLogs = List.copyOf(requireNonNull(fpmLogs, "fpmLogs is null"));
    }
}
