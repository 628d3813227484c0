package dev.chatops.adapters.bench;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What an engineer does instead of asking the bot: the seed's check script piped to
 * {@code ssh host 'bash -s'} with OpenSSH's client, or fanned out with {@code parallel-ssh}. The
 * same key, port and known hosts as the bot; host keys checked, no password prompts.
 */
final class ByHand {

    /** How OpenSSH reaches the lab host. */
    record Target(String user, String address, int port, Path identityFile, Path knownHosts) {
        Target {
            requireNonNull(user, "user is null");
            requireNonNull(address, "address is null");
            requireNonNull(identityFile, "identityFile is null");
            requireNonNull(knownHosts, "knownHosts is null");
        }

        /** Client options as on an engineer's machine set up for these hosts; no ~/.ssh/config in the way. */
        List<String> options() {
            return List.of("-o", "IdentityFile=" + identityFile, "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
                    "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts,
                    "-o", "GlobalKnownHostsFile=/dev/null", "-o", "ConnectTimeout=10");
        }
    }

    /** A finished command: how long it took from fork to exit, and what it printed. */
    record Outcome(long nanos, int exit, String stdout, String stderr) {
    }

    private final Path script;
    private final Path scratch;

    ByHand(Path script, Path scratch) {
        this.script = requireNonNull(script, "script is null");
        this.scratch = requireNonNull(scratch, "scratch is null");
    }

    /** {@code ssh -i KEY -p PORT user@host 'bash -s' < script}. */
    Outcome ssh(Target t) {
        Outcome o = run(sshCommand(t, "bash -s"), script, Duration.ofSeconds(60));
        if (o.exit() != 0 && !o.stdout().contains("=== Recommendations ===")) {
            throw new IllegalStateException("ssh 'bash -s' < " + script + " failed (exit " + o.exit() + "): "
                    + o.stderr().strip());
        }
        return o;
    }

    /** {@code ssh … user@host true}: the connection, key exchange, login and one exec, no work. */
    Outcome connectOnly(Target t, List<String> extraOptions) {
        List<String> command = sshCommand(t, "true");
        command.addAll(1, extraOptions);
        Outcome o = run(command, Path.of("/dev/null"), Duration.ofSeconds(60));
        if (o.exit() != 0) {
            throw new IllegalStateException("ssh " + t.address() + " true failed (exit " + o.exit() + "): "
                    + o.stderr().strip());
        }
        return o;
    }

    private static List<String> sshCommand(Target t, String remote) {
        List<String> command = new ArrayList<>(List.of("ssh", "-F", "/dev/null"));
        command.addAll(t.options());
        command.addAll(List.of("-p", String.valueOf(t.port()), t.user() + "@" + t.address(), remote));
        return command;
    }

    /**
     * {@code parallel-ssh -h HOSTS -p PAR -I 'bash -s' < script}; every host must succeed, or the
     * figure would time failures.
     */
    Outcome parallelSsh(Target t, Path hostsFile, int hosts, int parallel) {
        List<String> command = new ArrayList<>(List.of("parallel-ssh", "-h", hostsFile.toString(), "-p",
                String.valueOf(parallel), "-t", "0", "-I"));
        List<String> options = t.options();
        for (int i = 1; i < options.size(); i += 2) {
            command.addAll(List.of("-O", options.get(i)));
        }
        command.add("bash -s");
        Outcome o = run(command, script, Duration.ofSeconds(300));
        long ok = o.stdout().lines().filter(l -> l.contains("[SUCCESS]")).count();
        if (ok != hosts) {
            throw new IllegalStateException("parallel-ssh succeeded on " + ok + " of " + hosts + " host entries "
                    + "(exit " + o.exit() + "): " + o.stdout().lines().filter(l -> !l.contains("[SUCCESS]")).limit(3)
                    .toList() + " " + o.stderr().strip());
        }
        return o;
    }

    private Outcome run(List<String> command, Path stdin, Duration timeout) {
        Path out = scratch.resolve("by-hand.out");
        Path err = scratch.resolve("by-hand.err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(stdin.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        try {
            long start = System.nanoTime();
            Process p = pb.start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " took longer than " + timeout);
            }
            long nanos = System.nanoTime() - start;
            return new Outcome(nanos, p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0) + " (is it installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
