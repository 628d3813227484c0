package dev.chatops.adapters.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import dev.chatops.adapters.io.CappedOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command on one exec channel of a shared session, bounded in time and memory. Each
 * JSch pitfall is handled here:
 * <ul>
 * <li>An unread stdout or stderr pipe blocks JSch's single session thread and with it every other
 * channel of the connection. So neither is a pipe: JSch writes both straight into capped, never
 * blocking buffers, which keep the first bytes and count the rest.</li>
 * <li>The exit status is only set once the server has closed the channel; read before that (say,
 * at end of output) it is -1. So we wait for the close, not for the end of the output.</li>
 * <li>Channel reads have no timeout of their own. So nothing here reads; we wait for the close
 * with a deadline, and at the deadline close the channel ourselves.</li>
 * </ul>
 */
final class ExecChannel {

    /** A fallback poll: the close is normally signalled, this only guards against a missed signal. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /**
     * What came back.
     *
     * @param exit        the remote exit status; -1 when there was none (cut off, or a signal)
     * @param finished    the server closed the channel (the command ended) before the cutoff
     * @param sessionLost the connection dropped while the command ran
     */
    record Outcome(int exit, String stdout, String stderr, boolean truncated, boolean finished, boolean sessionLost) {
    }

    private ExecChannel() {
    }

    /**
     * Runs {@code command} and waits until it ends or until {@code cutoffNanos} (System.nanoTime).
     *
     * @throws JSchException when the channel could not be opened at all
     */
    static Outcome run(Session session, String command, int maxBytes, long cutoffNanos, int openTimeoutMillis)
            throws JSchException {
        ChannelExec channel = (ChannelExec) session.openChannel("exec");
        CappedOutput stdout = new CappedOutput(maxBytes);
        CappedOutput stderr = new CappedOutput(maxBytes);
        CountDownLatch closed = new CountDownLatch(1);
        try {
            // an ssh config's RequestTTY/ForwardAgent must not apply: a pty would merge stderr into stdout
            channel.setPty(false);
            channel.setAgentForwarding(false);
            channel.setCommand(command);
            channel.setInputStream(null);
            channel.setOutputStream(stdout, true);
            // JSch closes the stderr sink only when the channel is closed: that is our wake-up call
            channel.setErrStream(new CloseSignal(stderr, closed), false);
            channel.connect(openTimeoutMillis);
            try {
                // no stdin: a probe that reads it sees end of file instead of hanging
                channel.getOutputStream().close();
            } catch (IOException e) {
                // the command may already have ended and the channel closed; nothing to tell it then
            }
            awaitClose(session, channel, closed, cutoffNanos);
            boolean finished = channel.isClosed();
            int exit = finished ? channel.getExitStatus() : -1;
            boolean lost = exit == -1 && disconnecting(session);
            return new Outcome(exit, stdout.text(), stderr.text(), stdout.truncated() || stderr.truncated(),
                    finished && !lost, lost);
        } finally {
            channel.disconnect();
        }
    }

    /**
     * Whether the session is going down. JSch closes a dropped connection's channels before it marks
     * the session disconnected, so a channel that closed without an exit status is given a moment
     * to see which it was: the connection lost, or the command killed by a signal.
     */
    static boolean disconnecting(Session session) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        while (session.isConnected()) {
            if (System.nanoTime() >= until) {
                return false;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !session.isConnected();
            }
        }
        return true;
    }

    private static void awaitClose(Session session, ChannelExec channel, CountDownLatch closed, long cutoffNanos) {
        try {
            while (!channel.isClosed() && session.isConnected()) {
                long left = cutoffNanos - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                closed.await(Math.min(left, POLL_NANOS), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Passes bytes on and counts down when JSch closes it, which it does when the channel closes. */
    private static final class CloseSignal extends OutputStream {
        private final OutputStream sink;
        private final CountDownLatch closed;

        CloseSignal(OutputStream sink, CountDownLatch closed) {
            this.sink = sink;
            this.closed = closed;
        }

        @Override
        public void write(int b) throws IOException {
            sink.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            sink.write(b, off, len);
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }
}
