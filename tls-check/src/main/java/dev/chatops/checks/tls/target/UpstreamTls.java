package dev.chatops.checks.tls.target;

import static java.util.Objects.requireNonNull;

import dev.chatops.nginx.config.Directive;
import java.util.Optional;

/**
 * One HTTPS address nginx proxies to, as the config writes it, and what nginx asks it for.
 *
 * @param address    {@code host:port} or {@code [v6]:port}, from the config only and validated
 * @param name       the name nginx checks the certificate against ({@code proxy_ssl_name}, else the
 *                   {@code proxy_pass} host), validated
 * @param sendsName  {@code proxy_ssl_server_name on}: nginx sends the name (SNI); off by default
 * @param verifies   {@code proxy_ssl_verify on}: nginx refuses a certificate that fails; off by default
 * @param pass       the {@code proxy_pass} directive
 * @param nameSetting the {@code proxy_ssl_name} directive, when there is one
 */
public record UpstreamTls(String address, String name, boolean sendsName, boolean verifies, Directive pass,
                          Optional<Directive> nameSetting) {

    public UpstreamTls {
        requireNonNull(address, "address is null");
        requireNonNull(name, "name is null");
        requireNonNull(pass, "pass is null");
        requireNonNull(nameSetting, "nameSetting is null");
    }

    /** Whether nginx sends the name: only when told to, and never an IP address (TLS names hosts only). */
    public boolean sni() {
        return sendsName && !name.matches("[0-9.]+|\\[.*]|.*:.*");
    }

    /** How people know it: {@code https://api.internal:8443 (name api.internal)}. */
    public String label() {
        return "https://" + address + (name.isEmpty() || address.startsWith(name + ":") ? "" : " (name " + name + ")");
    }
}
