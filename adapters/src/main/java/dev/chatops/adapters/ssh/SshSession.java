package dev.chatops.adapters.ssh;

import static java.util.Objects.requireNonNull;

import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import dev.chatops.core.shell.ShellQuote;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import dev.chatops.core.transport.TransportException;
import dev.chatops.core.transport.TransportException.Reason;
import dev.chatops.core.transport.TransportSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One verified SSH connection to one host for one check run. Probes run in parallel, one exec
 * channel each, at most {@link #PARALLEL_CHANNELS} at a time (sshd's MaxSessions is 10 by default).
 * Each probe is cut off at its own timeout, and every probe at the run's deadline. When the run
 * ends, the connection goes to its {@link Release}: closed, or kept for the host's next run.
 */
final class SshSession implements TransportSession {

    /** What becomes of the connection when the run ends. */
    interface Release {
        /**
         * @param clean the connection is still up and every channel of the run was closed (no probe
         *              abandoned, nothing lost), so another run could use it
         */
        void release(KeptConnections.Connection connection, boolean clean);

        /** Closes the connection whatever happened. */
        Release CLOSE = (connection, clean) -> connection.disconnect();
    }

    /** Below sshd's default MaxSessions of 10, which counts every open channel of a connection. */
    static final int PARALLEL_CHANNELS = 8;
    /** How long past its timeout a probe may take to report it was stopped on the host. */
    private static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);
    private static final long SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Endpoint host;
    private final KeptConnections.Connection connection;
    private final Session session;
    private final Release release;
    private final HostKeyFingerprint hostKey;
    private final Duration commandTimeout;
    private final Duration runTimeout;
    private final long runDeadline;
    private final boolean sudo;
    private final int openTimeoutMillis;
    private final AtomicBoolean lost = new AtomicBoolean();
    private final AtomicBoolean abandoned = new AtomicBoolean();
    private final AtomicInteger running = new AtomicInteger();
    private final ExecutorService pool;
    private volatile boolean closed;

    SshSession(Endpoint host, KeptConnections.Connection connection, Release release, Duration connectTimeout,
               Duration commandTimeout, Duration runTimeout, long runDeadline, boolean sudo) {
        this.host = requireNonNull(host, "host is null");
        this.connection = requireNonNull(connection, "connection is null");
        this.session = connection.target().session();
        this.hostKey = connection.target().hostKey();
        this.release = requireNonNull(release, "release is null");
        this.commandTimeout = requireNonNull(commandTimeout, "commandTimeout is null");
        this.runTimeout = requireNonNull(runTimeout, "runTimeout is null");
        this.runDeadline = runDeadline;
        this.sudo = sudo;
        this.openTimeoutMillis = (int) Math.max(1, requireNonNull(connectTimeout, "connectTimeout is null").toMillis());
        this.pool = Executors.newFixedThreadPool(PARALLEL_CHANNELS, r -> {
            Thread t = new Thread(r, "ssh-probe " + host.label());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public Map<String, ProbeResult> run(List<Probe> probes) throws TransportException {
        List<Probe> batch = List.copyOf(requireNonNull(probes, "probes is null"));
        if (closed) {
            throw new IllegalStateException("the session to " + host.describe() + " is closed");
        }
        if (!session.isConnected() || lost.get()) {
            throw lost(null);
        }
        List<CompletableFuture<ProbeResult>> futures = new ArrayList<>();
        for (Probe p : batch) {
            futures.add(start(p));
        }
        // every probe ends (each at its cutoff, or at start's backstop) before a lost connection is reported
        Map<String, ProbeResult> out = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            out.put(batch.get(i).name(), await(batch.get(i), futures.get(i)));
        }
        if (lost.get()) {
            throw lost(null);
        }
        return out;
    }

    @Override
    public CompletableFuture<ProbeResult> start(Probe probe) {
        requireNonNull(probe, "probe is null");
        if (closed) {
            throw new IllegalStateException("the session to " + host.describe() + " is closed");
        }
        if (!session.isConnected() || lost.get()) {
            return CompletableFuture.failedFuture(lost(null));
        }
        CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        running.incrementAndGet();
        Future<?> task = pool.submit(() -> {
            ProbeResult r = null;
            Throwable failed = null;
            try {
                r = runOne(probe);
            } catch (RuntimeException | Error e) {
                failed = e;
            } finally {
                // no longer running before anyone hears of it: the run may end, and its connection be kept, at once
                running.decrementAndGet();
            }
            if (failed != null) {
                result.completeExceptionally(failed);
            } else if (lost.get()) {
                result.completeExceptionally(lost(null));
            } else {
                result.complete(r);
            }
        });
        // each probe ends by itself at its cutoff; this only guards against a bug leaving one hanging
        long backstop = Math.max(0, runDeadline - System.nanoTime()) + TimeUnit.SECONDS.toNanos(5);
        return result.completeOnTimeout(null, backstop, TimeUnit.NANOSECONDS).thenApply(r -> {
            if (r != null) {
                return r;
            }
            abandoned.set(true);
            task.cancel(true);
            return new ProbeResult(probe.command(), ProbeResult.TIMED_OUT, "", "probe " + probe.name()
                    + " did not finish by the run's deadline and was abandoned", 0, false);
        });
    }

    /** A probe's result, or null when its connection was lost (the batch then says so once all have ended). */
    private ProbeResult await(Probe probe, CompletableFuture<ProbeResult> future) throws TransportException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            abandoned.set(true);
            Thread.currentThread().interrupt();
            throw new TransportException(Reason.CONNECTION_LOST, "the run on " + host.describe()
                    + " was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TransportException) {
                return null;
            }
            throw new IllegalStateException("probe " + probe.name() + " failed unexpectedly", e.getCause());
        }
    }

    private ProbeResult runOne(Probe probe) {
        long start = System.nanoTime();
        boolean viaSudo = probe.sudo() && sudo && !host.user().equals("root");
        Optional<SudoCommand> sudoCommand = viaSudo ? SudoCommand.parse(probe.command()) : Optional.empty();
        if (viaSudo && sudoCommand.isEmpty()) {
            return new ProbeResult("sudo -n " + probe.command(), ProbeResult.NOT_RUN, "",
                    probe.sudoProblem().orElseThrow() + "\n", 0, false);
        }
        String recorded = sudoCommand.map(SudoCommand::commandLine).orElse(probe.command());
        if (start >= runDeadline) {
            return new ProbeResult(recorded, ProbeResult.TIMED_OUT, "", "probe " + probe.name()
                    + " was not started: the run on " + host.label() + " had used up its time limit of "
                    + DurationText.of(runTimeout) + " (ssh.runTimeout)\n", 0, false);
        }
        Duration timeout = probe.timeout().compareTo(commandTimeout) <= 0 ? probe.timeout() : commandTimeout;
        long probeDeadline = start + timeout.toNanos();
        long hostDeadline = Math.min(probeDeadline, runDeadline);
        boolean runLimited = runDeadline < probeDeadline;
        long cutoff = Math.min(probeDeadline + GRACE_NANOS, runDeadline);
        long seconds = Math.max(1, (hostDeadline - start + 999_999_999L) / 1_000_000_000L);
        // timeout(1) ends the command and everything it started on the host, so nothing lingers
        // there after we stop waiting; it exits 124 just as ProbeResult.TIMED_OUT expects. In the C
        // locale, every host says the same thing in the same words: sudo's refusals, programs' errors
        String remote = "LC_ALL=C exec timeout -k 1 " + seconds + " "
                + (viaSudo ? recorded : "sh -c " + ShellQuote.quote(probe.command()));
        ExecChannel.Outcome outcome;
        try {
            outcome = open(remote, probe.maxBytes(), cutoff);
        } catch (JSchException e) {
            if (ExecChannel.disconnecting(session)) {
                lost.set(true);
            }
            return new ProbeResult(recorded, ProbeResult.NOT_RUN, "", "could not open an SSH channel on "
                    + host.describe() + " for probe " + probe.name() + " (" + e.getMessage() + "); if sshd there "
                    + "sets MaxSessions below " + PARALLEL_CHANNELS + ", raise it\n", millisSince(start), false);
        }
        long elapsed = System.nanoTime() - start;
        if (outcome.sessionLost()) {
            lost.set(true);
            return new ProbeResult(recorded, ProbeResult.NOT_RUN, outcome.stdout(), outcome.stderr(),
                    elapsed / 1_000_000, outcome.truncated());
        }
        int exit = outcome.exit();
        String note = "";
        boolean stoppedOnHost = outcome.finished() && (exit == 124 || exit == 137)
                && elapsed >= hostDeadline - start - SLACK_NANOS;
        if (!outcome.finished() || stoppedOnHost) {
            exit = ProbeResult.TIMED_OUT;
            note = runLimited
                    ? "probe " + probe.name() + " was cut off when the run on " + host.label() + " reached its time "
                    + "limit of " + DurationText.of(runTimeout) + " (ssh.runTimeout)\n"
                    : "probe " + probe.name() + " timed out after " + DurationText.of(timeout) + " and was stopped\n";
        } else if (exit == -1) {
            note = "probe " + probe.name() + " ended without an exit status (killed by a signal?)\n";
        }
        String stderr = note + outcome.stderr();
        if (viaSudo && exit != 0 && exit != ProbeResult.TIMED_OUT && SudoCommand.refused(outcome.stderr())) {
            stderr = ensureNewline(stderr) + sudoAdvice(probe, sudoCommand.get(), outcome.stderr());
        }
        return new ProbeResult(recorded, exit, outcome.stdout(), stderr, elapsed / 1_000_000, outcome.truncated());
    }

    /** Opens the channel, retrying while sshd refuses another one (MaxSessions) and time is left. */
    private ExecChannel.Outcome open(String remote, int maxBytes, long cutoff) throws JSchException {
        long backoff = TimeUnit.MILLISECONDS.toNanos(20);
        while (true) {
            try {
                return ExecChannel.run(session, remote, maxBytes, cutoff,
                        (int) Math.max(1, Math.min(openTimeoutMillis, (cutoff - System.nanoTime()) / 1_000_000)));
            } catch (JSchException e) {
                boolean refusedChannel = String.valueOf(e.getMessage()).contains("channel is not opened");
                if (!refusedChannel || !session.isConnected() || System.nanoTime() + backoff >= cutoff) {
                    throw e;
                }
                sleep(backoff);
                backoff = Math.min(backoff * 2, TimeUnit.MILLISECONDS.toNanos(200));
            }
        }
    }

    /** Names the probe that lacked permission and the one sudoers line that would allow it. */
    private String sudoAdvice(Probe probe, SudoCommand command, String sudoSaid) {
        String path = command.program().contains("/") ? command.program() : resolve(command.program())
                .orElse(command.program());
        String line = command.sudoersLine(host.user(), path);
        String advice = "probe " + probe.name() + " needs root, but sudo on " + host.label() + " refused to run `"
                + command.program() + (command.arguments().isEmpty() ? "" : " " + String.join(" ",
                command.arguments())) + "` for " + host.user() + " without a password; to allow exactly this "
                + "read-only command, add this line with `visudo -f /etc/sudoers.d/chatops` there: " + line;
        if (!path.startsWith("/")) {
            advice += " (with the full path of " + command.program() + ", as `command -v " + command.program()
                    + "` prints it as root)";
        }
        if (SudoCommand.wantsTty(sudoSaid)) {
            advice += ", and this one so sudo runs without a terminal: Defaults:" + host.user() + " !requiretty";
        }
        return advice + "\n";
    }

    /** Where sudo would find the program (its secure_path), asked on the host itself. */
    private Optional<String> resolve(String program) {
        long cutoff = Math.min(System.nanoTime() + TimeUnit.SECONDS.toNanos(5), runDeadline);
        String remote = "exec env PATH=" + SudoCommand.SECURE_PATH + " sh -c "
                + ShellQuote.quote("command -v " + ShellQuote.quote(program));
        try {
            ExecChannel.Outcome o = ExecChannel.run(session, remote, 4096, cutoff, openTimeoutMillis);
            String path = o.stdout().strip();
            return o.exit() == 0 && path.startsWith("/") && !path.contains("\n") ? Optional.of(path) : Optional.empty();
        } catch (JSchException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<String> hostKeyFingerprint() {
        return Optional.of(hostKey.toString());
    }

    /** The JSch session, for the batch measurements that compare ways of running probes. */
    Session jschSession() {
        return session;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        pool.shutdownNow();
        // a probe still running (its run was interrupted) holds a channel: such a connection is not reused
        release.release(connection, running.get() == 0 && !lost.get() && !abandoned.get()
                && connection.isConnected());
    }

    private TransportException lost(Throwable cause) {
        return new TransportException(Reason.CONNECTION_LOST, "lost the SSH connection to " + host.describe()
                + " during the run: the host stopped answering or sshd there was restarted; check the host and "
                + "ask again", cause);
    }

    private static String ensureNewline(String s) {
        return s.isEmpty() || s.endsWith("\n") ? s : s + "\n";
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void sleep(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
