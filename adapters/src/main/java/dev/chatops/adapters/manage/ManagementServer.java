package dev.chatops.adapters.manage;

import static java.util.Objects.requireNonNull;

import dev.chatops.core.error.BotException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.AbstractHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The management port ({@code management.port}): {@code GET /healthz} answers 200 with
 * {@code {"status":"up",…}} when every part of the bot works and 503 naming what does not;
 * {@code GET /metrics} answers the Prometheus text format. Nothing else is served, and nothing
 * here takes input beyond the path, so it can be scraped without credentials on a private address.
 */
public final class ManagementServer implements AutoCloseable {

    public static final String HEALTH_PATH = "/healthz";
    public static final String METRICS_PATH = "/metrics";

    private final Server server;
    private final ServerConnector connector;

    private ManagementServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /**
     * Listens on {@code bind}:{@code port} (0 for any free port).
     *
     * @throws BotException when the port cannot be bound, saying which
     */
    public static ManagementServer start(String bind, int port, Health health, PrometheusMetrics metrics) {
        requireNonNull(bind, "bind is null");
        requireNonNull(health, "health is null");
        requireNonNull(metrics, "metrics is null");
        // a scraper and a health checker need a handful of threads, not Jetty's default two hundred
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("chatops-management");
        threads.setDaemon(true);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost(bind);
        connector.setPort(port);
        connector.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration().setSendServerVersion(false);
        server.addConnector(connector);
        server.setHandler(new Endpoints(health, metrics));
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // the start already failed; that is what is reported
            }
            throw new BotException(BotException.Category.EXTERNAL, "the management port could not listen on " + bind
                    + ":" + port + " (" + e.getMessage() + "); free the port or change management.port", e);
        }
        return new ManagementServer(server, connector);
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The address the server socket is bound to. */
    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) ((ServerSocketChannel) connector.getTransport()).getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("the management server is closed", e);
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            System.getLogger(ManagementServer.class.getName()).log(System.Logger.Level.WARNING,
                    "while stopping the management server: " + e);
        }
    }

    private static final class Endpoints extends AbstractHandler {
        private final Health health;
        private final PrometheusMetrics metrics;

        Endpoints(Health health, PrometheusMetrics metrics) {
            this.health = health;
            this.metrics = metrics;
        }

        @Override
        public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
                throws IOException {
            base.setHandled(true);
            response.setHeader("Cache-Control", "no-store");
            if (!target.equals(HEALTH_PATH) && !target.equals(METRICS_PATH)) {
                write(response, 404, "text/plain", "not found; try " + HEALTH_PATH + " or " + METRICS_PATH + "\n");
                return;
            }
            if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
                response.setHeader("Allow", "GET, HEAD");
                write(response, 405, "text/plain", "only GET is served here\n");
                return;
            }
            if (target.equals(HEALTH_PATH)) {
                Health.Status status = health.check();
                write(response, status.up() ? 200 : 503, "application/json", status.json() + "\n");
            } else {
                write(response, 200, "text/plain; version=0.0.4", metrics.scrape());
            }
        }

        private static void write(HttpServletResponse response, int status, String type, String body)
                throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            response.setStatus(status);
            response.setContentType(type + (type.contains("charset") ? "" : "; charset=utf-8"));
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
        }
    }
}
