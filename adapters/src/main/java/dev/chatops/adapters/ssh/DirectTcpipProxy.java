package dev.chatops.adapters.ssh;

import static java.util.Objects.requireNonNull;

import com.jcraft.jsch.Channel;
import com.jcraft.jsch.Proxy;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SocketFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * Reaches a host through a jump host. JSch has no ProxyJump: the target's SSH connection runs
 * inside a {@code direct-tcpip} channel of the (already verified, already authenticated) jump
 * host's session, exactly what {@code ssh -J} does.
 */
final class DirectTcpipProxy implements Proxy {

    private final Session jump;
    private Channel channel;
    private InputStream in;
    private OutputStream out;

    DirectTcpipProxy(Session jump) {
        this.jump = requireNonNull(jump, "jump is null");
    }

    @Override
    public void connect(SocketFactory socketFactory, String host, int port, int timeout) throws Exception {
        channel = jump.getStreamForwarder(host, port);
        in = channel.getInputStream();
        out = channel.getOutputStream();
        channel.connect(timeout);
    }

    @Override
    public InputStream getInputStream() {
        return in;
    }

    @Override
    public OutputStream getOutputStream() {
        return out;
    }

    /** There is no socket of our own; timeouts come from the jump session and our own deadlines. */
    @Override
    public Socket getSocket() {
        return null;
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.disconnect();
        }
    }
}
