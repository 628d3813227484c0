package dev.chatops.adapters.slack;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Slack's Socket Mode end on a loopback port: just enough WebSocket (RFC 6455) to accept the
 * Slack client's connection, answer its pings, send it envelopes and keep what it sends back.
 * No WebSocket server library is on the class path, and the protocol part needed is small.
 */
final class FakeSocketModeServer implements AutoCloseable {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<Connection> opened = new LinkedBlockingQueue<>();

    FakeSocketModeServer() throws IOException {
        server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "fake-socket-mode-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "ws://127.0.0.1:" + server.getLocalPort() + "/link/?ticket=fake-ticket";
    }

    /** Waits for the client to connect and finish the handshake. */
    void awaitConnection(Duration timeout) throws InterruptedException {
        Connection c = opened.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (c == null) {
            throw new AssertionError("the Socket Mode client did not connect within " + timeout);
        }
        opened.add(c);
    }

    /** Sends a text frame to the newest open connection. */
    void send(String text) throws IOException {
        for (int i = connections.size() - 1; i >= 0; i--) {
            if (connections.get(i).open) {
                connections.get(i).send(0x1, text.getBytes(StandardCharsets.UTF_8));
                return;
            }
        }
        throw new IOException("no open Socket Mode connection");
    }

    /** The next text message from the client that contains {@code marker}, skipping others. */
    String awaitMessage(String marker, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> skipped = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            String m = left <= 0 ? null : received.poll(left, TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new AssertionError("no message containing " + marker + " within " + timeout + "; got " + skipped);
            }
            if (m.contains(marker)) {
                return m;
            }
            skipped.add(m);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Connection c : connections) {
            c.close();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Connection c = new Connection(s);
                connections.add(c);
                Thread t = new Thread(c::run, "fake-socket-mode-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private final class Connection {
        private final Socket socket;
        private final OutputStream out;
        private volatile boolean open;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        void run() {
            try (socket) {
                InputStream in = socket.getInputStream();
                handshake(in);
                open = true;
                opened.add(this);
                DataInputStream data = new DataInputStream(in);
                ByteArrayOutputStream message = new ByteArrayOutputStream();
                while (true) {
                    int b0 = data.readUnsignedByte();
                    int b1 = data.readUnsignedByte();
                    boolean fin = (b0 & 0x80) != 0;
                    int opcode = b0 & 0x0F;
                    long length = b1 & 0x7F;
                    if (length == 126) {
                        length = data.readUnsignedShort();
                    } else if (length == 127) {
                        length = data.readLong();
                    }
                    byte[] mask = new byte[4];
                    if ((b1 & 0x80) != 0) {
                        data.readFully(mask);
                    }
                    byte[] payload = new byte[(int) length];
                    data.readFully(payload);
                    for (int i = 0; i < payload.length; i++) {
                        payload[i] ^= mask[i % 4];
                    }
                    switch (opcode) {
                        case 0x0, 0x1 -> {
                            message.write(payload);
                            if (fin) {
                                received.add(message.toString(StandardCharsets.UTF_8));
                                message.reset();
                            }
                        }
                        case 0x8 -> {
                            send(0x8, payload);
                            return;
                        }
                        case 0x9 -> send(0xA, payload);
                        default -> {
                            // pongs and anything else need no answer
                        }
                    }
                }
            } catch (IOException e) {
                // the client went away
            } finally {
                open = false;
            }
        }

        private void handshake(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("closed during the handshake");
                }
                head.append((char) c);
            }
            String key = null;
            for (String line : head.toString().split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("sec-websocket-key")) {
                    key = line.substring(colon + 1).trim();
                }
            }
            if (key == null) {
                throw new IOException("no Sec-WebSocket-Key");
            }
            String accept;
            try {
                accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                        .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
            } catch (NoSuchAlgorithmException e) {
                throw new IOException(e);
            }
            synchronized (out) {
                out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        }

        void send(int opcode, byte[] payload) throws IOException {
            synchronized (out) {
                out.write(0x80 | opcode);
                if (payload.length < 126) {
                    out.write(payload.length);
                } else if (payload.length < 65536) {
                    out.write(126);
                    out.write(payload.length >>> 8);
                    out.write(payload.length & 0xFF);
                } else {
                    out.write(127);
                    for (int i = 7; i >= 0; i--) {
                        out.write((int) (((long) payload.length >>> (8 * i)) & 0xFF));
                    }
                }
                out.write(payload);
                out.flush();
            }
        }

        void close() {
            open = false;
            try {
                socket.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }
}
