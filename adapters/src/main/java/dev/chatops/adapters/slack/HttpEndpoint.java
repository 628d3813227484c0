package dev.chatops.adapters.slack;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

/**
 * HTTP mode: Slack posts slash commands to {@code POST /slack/events} on this Jetty server, where
 * {@link EventsServlet} caps the body, checks the signature and drops replays before the Bolt app
 * sees anything; forged, unsigned and stale requests get 401, oversized ones 413.
 */
final class HttpEndpoint implements AutoCloseable {

    static final String PATH = "/slack/events";

    private final Server server;
    private final ServerConnector connector;

    private HttpEndpoint(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /**
     * @param bindAddress where to listen, e.g. {@code 127.0.0.1} behind a reverse proxy
     * @param port        0 for any free port
     */
    static HttpEndpoint start(EventsServlet servlet, String bindAddress, int port) throws Exception {
        requireNonNull(servlet, "servlet is null");
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(requireNonNull(bindAddress, "bindAddress is null"));
        connector.setPort(port);
        connector.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration().setSendServerVersion(false);
        server.addConnector(connector);
        ServletContextHandler handler = new ServletContextHandler();
        handler.addServlet(new ServletHolder(servlet), PATH);
        server.setHandler(handler);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        return new HttpEndpoint(server, connector);
    }

    boolean running() {
        return server.isRunning();
    }

    int port() {
        return connector.getLocalPort();
    }

    /** The address the server socket is bound to. */
    InetSocketAddress address() {
        try {
            return (InetSocketAddress) ((ServerSocketChannel) connector.getTransport()).getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("the HTTP endpoint is closed", e);
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
