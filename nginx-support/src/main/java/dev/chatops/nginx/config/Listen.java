package dev.chatops.nginx.config;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** One {@code listen} of a server block: the address ({@code *} for any), the port and its flags. */
public record Listen(String address, int port, boolean defaultServer, boolean ssl, Directive directive) {

    public Listen {
        requireNonNull(address, "address is null");
        requireNonNull(directive, "directive is null");
    }

    static Listen of(Directive d) {
        String spec = d.arg(0).orElse("80");
        String address = "*";
        int port = 80;
        if (spec.startsWith("unix:")) {
            address = spec;
            port = 0;
        } else if (spec.matches("\\d+")) {
            port = Integer.parseInt(spec);
        } else {
            int colon = spec.lastIndexOf(':');
            int bracket = spec.lastIndexOf(']');
            if (colon > bracket) {
                address = spec.substring(0, colon);
                String p = spec.substring(colon + 1);
                port = p.matches("\\d+") ? Integer.parseInt(p) : 80;
            } else {
                address = spec;
            }
        }
        List<String> flags = d.args().subList(Math.min(1, d.args().size()), d.args().size());
        return new Listen(address, port, flags.contains("default_server") || flags.contains("default"),
                flags.contains("ssl"), d);
    }
}
