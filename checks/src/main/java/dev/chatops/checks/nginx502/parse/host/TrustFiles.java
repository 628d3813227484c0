package dev.chatops.checks.nginx502.parse.host;

import dev.chatops.nginx.config.Directive;
import dev.chatops.nginx.config.NginxConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The certificate files a TLS fix may name, so the follow-up can say whether each exists on the host:
 * those the config already names ({@code proxy_ssl_trusted_certificate} and its kin), the system CA
 * bundles of the common distributions, and the file a fix proposes for a private CA.
 */
public final class TrustFiles {

    /** Debian/Ubuntu/Alpine, then RHEL/Fedora, then SUSE. */
    public static final List<String> SYSTEM_BUNDLES = List.of("/etc/ssl/certs/ca-certificates.crt",
            "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/ca-bundle.pem");

    private static final Set<String> FILE_DIRECTIVES = Set.of("proxy_ssl_trusted_certificate",
            "proxy_ssl_certificate", "proxy_ssl_certificate_key", "grpc_ssl_trusted_certificate",
            "uwsgi_ssl_trusted_certificate");
    private static final int MAX = 12;

    private TrustFiles() {
    }

    /** The files to look for, each at most once, the config's own first. */
    public static List<String> toCheck(NginxConfig config) {
        Set<String> out = new LinkedHashSet<>();
        walk(config.main(), config, out);
        if (out.isEmpty() && config.routes().stream().noneMatch(r -> r.target().tls())) {
            // no TLS to a backend: no TLS fix will name a file
            return List.of();
        }
        out.add(proposedCa(config));
        out.addAll(SYSTEM_BUNDLES);
        return new ArrayList<>(out).subList(0, Math.min(out.size(), MAX));
    }

    /** Where a fix proposes to put the CA that signed a backend's certificate: beside nginx.conf. */
    public static String proposedCa(NginxConfig config) {
        String main = config.mainFile();
        String dir = main.contains("/") ? main.substring(0, main.lastIndexOf('/')) : "/etc/nginx";
        return (dir.isEmpty() ? "" : dir) + "/ssl/upstream-ca.pem";
    }

    /** A path as nginx reads it: relative certificate paths are relative to the directory of nginx.conf. */
    public static String absolute(NginxConfig config, String path) {
        if (path.startsWith("/")) {
            return path;
        }
        String main = config.mainFile();
        return (main.contains("/") ? main.substring(0, main.lastIndexOf('/')) : "/etc/nginx") + "/" + path;
    }

    /** The first system CA bundle the host has, when the follow-up looked. */
    public static Optional<String> systemBundle(UpstreamChecks checks) {
        return SYSTEM_BUNDLES.stream().filter(p -> checks.file(p).map(UpstreamChecks.FileResult::exists)
                .orElse(false)).findFirst();
    }

    private static void walk(List<Directive> level, NginxConfig config, Set<String> out) {
        for (Directive d : level) {
            if (FILE_DIRECTIVES.contains(d.name()) && d.args().size() == 1 && !d.args().get(0).contains("$")
                    && !d.args().get(0).startsWith("data:")) {
                out.add(absolute(config, d.args().get(0)));
            }
            if (d.block()) {
                walk(d.children(), config, out);
            }
        }
    }
}
