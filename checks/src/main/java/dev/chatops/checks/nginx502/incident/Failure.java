package dev.chatops.checks.nginx502.incident;

import static java.util.Objects.requireNonNull;

import dev.chatops.nginx.config.Endpoint;
import dev.chatops.nginx.config.LocationBlock;
import dev.chatops.nginx.config.PassTarget;
import dev.chatops.nginx.config.Peer;
import dev.chatops.nginx.config.ServerBlock;
import dev.chatops.nginx.log.ErrorKind;
import dev.chatops.nginx.log.ErrorLogLine;
import java.util.List;
import java.util.Optional;

/**
 * Error-log lines of the window that say the same thing about the same upstream from the same server
 * block, mapped to the config: the server, the location that served the requests, the pass directive
 * and the peer nginx tried.
 *
 * @param endpoint the address nginx tried (from {@code upstream:} or the message)
 * @param source   the error log the lines came from
 */
public record Failure(ErrorKind kind, Optional<Endpoint> endpoint, String scheme, Optional<ServerBlock> server,
                      Optional<LocationBlock> location, Optional<PassTarget> target, Optional<Peer> peer,
                      List<ErrorLogLine> lines, String source) {

    public Failure {
        requireNonNull(kind, "kind is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(scheme, "scheme is null");
        requireNonNull(server, "server is null");
        requireNonNull(location, "location is null");
        requireNonNull(target, "target is null");
        requireNonNull(peer, "peer is null");
        lines = List.copyOf(requireNonNull(lines, "lines is null"));
        requireNonNull(source, "source is null");
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a failure needs at least one log line");
        }
    }

    public int count() {
        return lines.size();
    }

    public ErrorLogLine first() {
        return lines.get(0);
    }

    public ErrorLogLine last() {
        return lines.get(lines.size() - 1);
    }

    /** {@code shop.example.com} or {@code the server on port 80}. */
    public String serverName() {
        return server.map(ServerBlock::shortLabel).or(() -> last().server()).orElse("(no server)");
    }

    /** {@code upstream shop_app (127.0.0.1:3000)} or {@code 127.0.0.1:3000}. */
    public String upstreamLabel() {
        String addr = endpoint.map(Endpoint::key).orElse("?");
        return target.flatMap(PassTarget::upstream).map(u -> "upstream " + u.name()
                + (u.name().equals(addr.replaceFirst(":80$", "")) ? "" : " (" + addr + ")")).orElse(addr);
    }

    public boolean fastcgi() {
        return scheme.equals("fastcgi") || target.map(t -> t.module().equals("fastcgi")).orElse(false);
    }

    /** The directive prefix of the module that served it: proxy, fastcgi, uwsgi, grpc, scgi. */
    public String module() {
        return target.map(PassTarget::module).orElse(switch (scheme) {
            case "fastcgi" -> "fastcgi";
            case "uwsgi", "suwsgi" -> "uwsgi";
            case "grpc", "grpcs" -> "grpc";
            case "scgi" -> "scgi";
            default -> "proxy";
        });
    }
}
