package dev.chatops.nginx.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A {@code proxy_pass}, {@code fastcgi_pass}, {@code uwsgi_pass}, {@code grpc_pass} or {@code scgi_pass}
 * directive, resolved: through {@code set}/{@code map} variables and upstream blocks down to the
 * addresses nginx connects to.
 *
 * @param module   {@code proxy}, {@code fastcgi}, {@code uwsgi}, {@code grpc} or {@code scgi}; the prefix of
 *                 the directives that tune it ({@code proxy_read_timeout}, {@code fastcgi_buffer_size}…)
 * @param scheme   the protocol nginx speaks: {@code http}, {@code https}, {@code fastcgi}, {@code uwsgi},
 *                 {@code grpc}, {@code grpcs}, {@code scgi}
 * @param target   the host part after variable substitution: an upstream name, {@code host:port} or
 *                 {@code unix:/path}
 * @param variable the {@code set} or {@code map} directive the target came from, when it was a variable
 * @param dynamic  whether the target still holds a variable nginx resolves per request (needs a resolver)
 */
public record PassTarget(Directive directive, String module, String scheme, String target,
                         Optional<UpstreamBlock> upstream, List<Peer> peers, Optional<Directive> variable,
                         boolean dynamic) {

    public PassTarget {
        requireNonNull(directive, "directive is null");
        requireNonNull(module, "module is null");
        requireNonNull(scheme, "scheme is null");
        requireNonNull(target, "target is null");
        requireNonNull(upstream, "upstream is null");
        peers = List.copyOf(requireNonNull(peers, "peers is null"));
        requireNonNull(variable, "variable is null");
    }

    /** The name shown to people: {@code upstream shop_app} or the address. */
    public String label() {
        return upstream.map(u -> "upstream " + u.name()).orElse(target);
    }

    public boolean tls() {
        return scheme.equals("https") || scheme.equals("grpcs") || scheme.equals("suwsgi");
    }

    public boolean hasPeer(Endpoint e) {
        return peers.stream().anyMatch(p -> p.endpoint().key().equals(e.key()));
    }
}
