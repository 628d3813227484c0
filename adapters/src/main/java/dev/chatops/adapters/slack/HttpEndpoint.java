package dev.chatops.adapters.slack;

import static java.util.Objects.requireNonNull;

import com.slack.api.bolt.App;
import com.slack.api.bolt.servlet.SlackAppServlet;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

/**
 * HTTP mode: Slack posts slash commands to {@code POST /slack/events} on this Jetty server. Bolt
 * verifies each request's signature against the signing secret before any handler sees it;
 * forged, unsigned and stale requests get 401.
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
     * @param bindAddress where to listen, e.g. {@code 0.0.0.0}
     * @param port        0 for any free port
     */
    static HttpEndpoint start(App app, String bindAddress, int port) throws Exception {
        requireNonNull(app, "app is null");
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(requireNonNull(bindAddress, "bindAddress is null"));
        connector.setPort(port);
        connector.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration().setSendServerVersion(false);
        server.addConnector(connector);
        ServletContextHandler handler = new ServletContextHandler();
        handler.addServlet(new ServletHolder(new SlackAppServlet(app)), PATH);
        server.setHandler(handler);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        return new HttpEndpoint(server, connector);
    }

    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
