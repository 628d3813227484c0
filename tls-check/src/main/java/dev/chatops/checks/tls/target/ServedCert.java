package dev.chatops.checks.tls.target;

import static java.util.Objects.requireNonNull;

import dev.chatops.nginx.config.Directive;
import java.util.List;
import java.util.Optional;

/**
 * One {@code ssl_certificate} nginx serves, with its key and the server blocks that serve it.
 *
 * @param certPath    the file, absolute and plain (validated before it goes near a command)
 * @param keyPath     the {@code ssl_certificate_key} paired with it, when plain
 * @param certificate the {@code ssl_certificate} directive, for its file:line
 * @param key         the {@code ssl_certificate_key} directive
 * @param servers     the server blocks serving it: their names and where they are written
 */
public record ServedCert(String certPath, Optional<String> keyPath, Directive certificate, Optional<Directive> key,
                         List<Server> servers) {

    /** A server block as far as names go: its {@code server_name}s and where the first is written. */
    public record Server(List<String> names, Directive block, Optional<Directive> serverName) {
        public Server {
            names = List.copyOf(requireNonNull(names, "names is null"));
            requireNonNull(block, "block is null");
            requireNonNull(serverName, "serverName is null");
        }
    }

    public ServedCert {
        requireNonNull(certPath, "certPath is null");
        requireNonNull(keyPath, "keyPath is null");
        requireNonNull(certificate, "certificate is null");
        requireNonNull(key, "key is null");
        servers = List.copyOf(requireNonNull(servers, "servers is null"));
    }

    ServedCert with(Server server) {
        List<Server> more = new java.util.ArrayList<>(servers);
        more.add(server);
        return new ServedCert(certPath, keyPath, certificate, key, more);
    }
}
