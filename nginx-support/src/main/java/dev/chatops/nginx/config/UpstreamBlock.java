package dev.chatops.nginx.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** An {@code upstream NAME {...}} block: its servers and the directives that shape them. */
public record UpstreamBlock(String name, Directive directive, List<Peer> peers) {

    public UpstreamBlock {
        requireNonNull(name, "name is null");
        requireNonNull(directive, "directive is null");
        peers = List.copyOf(requireNonNull(peers, "peers is null"));
    }

    public Optional<Directive> keepalive() {
        return directive.last("keepalive");
    }

    /** Whether a {@code resolve} parameter or a {@code zone}+{@code resolver} makes nginx re-resolve names. */
    public boolean reResolves() {
        return directive.all("server").stream().anyMatch(d -> d.args().contains("resolve"));
    }
}
