package dev.chatops.checks.nginx502.rules;

import dev.chatops.checks.nginx502.config.Directive;
import dev.chatops.checks.nginx502.config.Endpoint;
import dev.chatops.checks.nginx502.fix.Places;
import dev.chatops.checks.nginx502.host.UpstreamChecks;
import dev.chatops.checks.nginx502.log.ErrorKind;
import dev.chatops.core.spi.Fix;
import dev.chatops.core.spi.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TLS to the backend: the certificate does not verify ({@code upstream-ssl-verify}), or the handshake
 * itself fails (SNI not sent, no common protocol or cipher: {@code upstream-ssl-handshake}). HTTPS to a
 * plain-HTTP port is a protocol mismatch, left to that rule.
 */
final class TlsRule implements Rule {

    private static final Pattern CN = Pattern.compile("CN\\s*=\\s*([^,/]+)");

    @Override
    public List<Finding> apply(Incident in) {
        List<Finding> out = new ArrayList<>();
        for (Failure f : in.failures(ErrorKind.SSL_VERIFY)) {
            out.add(verify(in, f));
        }
        for (Failure f : in.failures(ErrorKind.SSL_HANDSHAKE)) {
            String msg = f.last().message().toLowerCase(Locale.ROOT);
            Optional<UpstreamChecks.TcpResult> probe = ProtocolRule.tcp(in, f);
            if (msg.contains("wrong version number") || msg.contains("packet length too long")
                    || msg.contains("http request") || probe.map(p -> p.speaksHttp() && !p.speaksTls()).orElse(false)) {
                continue;
            }
            out.add(handshake(in, f, msg));
        }
        return out;
    }

    private Finding verify(Incident in, Failure f) {
        String msg = f.last().message();
        Optional<UpstreamChecks.TcpResult> probe = ProtocolRule.tcp(in, f);
        Optional<String> cn = probe.flatMap(UpstreamChecks.TcpResult::subject).map(CN::matcher).filter(Matcher::find)
                .map(m -> m.group(1).strip());
        Optional<Directive> verifyOff = Places.effective(f.location(), f.server(), "proxy_ssl_verify");
        Optional<Location> place = Places.inLocation(f.location(), f.target(), "proxy_ssl_trusted_certificate");
        String name = cn.orElse(f.peer().map(p -> p.endpoint().bareHost()).filter(h -> !f.peer().get().endpoint()
                .isIpLiteral()).orElse("<the name in its certificate>"));
        Finding.Builder b = Finding.of(Catalogue.SSL_VERIFY, 0.95)
                .headline(f.serverName() + " → " + f.upstreamLabel() + ": the backend's certificate does not verify ("
                        + reason(msg) + ")")
                .detail("nginx verifies the upstream's certificate (proxy_ssl_verify on"
                        + verifyOff.map(d -> " at " + d.file() + ":" + d.line()).orElse("") + ") and it fails: \""
                        + msg.replaceFirst(" while SSL handshaking to upstream$", "") + "\", " + Texts.times(f.count())
                        + probe.flatMap(UpstreamChecks.TcpResult::subject).map(s -> "; the certificate is " + s).orElse("")
                        + ". Give nginx the CA that signed it and the name it was issued for. Turning verification off "
                        + "(proxy_ssl_verify off) only hides the problem: test systems only.")
                .evidence(f);
        probe.flatMap(UpstreamChecks.TcpResult::verify).ifPresent(v -> b.evidence("openssl s_client "
                + f.endpoint().map(Endpoint::key).orElse(""), "Verify return code: " + v, 1));
        place.ifPresent(p -> b.fix(Fix.directive("proxy_ssl_trusted_certificate /etc/nginx/ssl/backend-ca.pem;    "
                + "# the CA that signed " + name, p)));
        place.ifPresent(p -> b.fix(Fix.directive("proxy_ssl_name " + name + ";", p)));
        in.clientsGot(f.server()).ifPresent(c -> b.evidence(ConnectionRule.accessSource(in), c, 1));
        return b.build();
    }

    private static String reason(String msg) {
        Matcher m = Pattern.compile("\\((\\d+:[^)]*)\\)").matcher(msg);
        if (m.find()) {
            return m.group(1);
        }
        return msg.contains("does not match") ? "name mismatch" : "verify error";
    }

    private Finding handshake(Incident in, Failure f, String msg) {
        Optional<Directive> sni = Places.effective(f.location(), f.server(), "proxy_ssl_server_name");
        boolean sniOn = sni.flatMap(d -> d.arg(0)).map("on"::equals).orElse(false);
        boolean byName = f.target().flatMap(t -> t.peers().stream().findFirst()).map(p -> !p.endpoint().isIpLiteral())
                .orElse(false) || f.target().map(t -> t.upstream().isPresent()).orElse(false);
        boolean protocol = msg.contains("unsupported protocol") || msg.contains("no protocols available")
                || msg.contains("version too low") || msg.contains("protocol version") || msg.contains("no shared cipher")
                || msg.contains("handshake failure") || msg.contains("no ciphers available");
        Optional<Location> place = Places.inLocation(f.location(), f.target(), protocol ? "proxy_ssl_protocols"
                : "proxy_ssl_server_name");
        Finding.Builder b = Finding.of(Catalogue.SSL_HANDSHAKE, 0.8)
                .headline(f.serverName() + " → " + f.upstreamLabel() + ": the TLS handshake fails")
                .detail("\"" + f.last().message().replaceFirst(" while SSL handshaking to upstream$", "") + "\", "
                        + Texts.times(f.count()) + " " + Texts.span(f.first(), f.last()) + ". "
                        + (protocol ? "nginx and the backend share no TLS version or cipher."
                        : sniOn ? "SNI is on; the backend still refuses the handshake: check its TLS settings."
                        : "nginx does not send SNI to upstreams unless proxy_ssl_server_name is on, and a backend "
                        + "serving several names (or a CDN) refuses a handshake without it."))
                .evidence(f);
        if (protocol) {
            place.ifPresent(p -> b.fix(Fix.directive("proxy_ssl_protocols TLSv1.2 TLSv1.3;", p)));
        } else {
            place.ifPresent(p -> b.fix(Fix.directive("proxy_ssl_server_name on;", p)));
            if (!byName) {
                f.target().ifPresent(t -> b.fix(Fix.directive("proxy_ssl_name <the backend's host name>;",
                        t.directive().at())));
            }
        }
        if (msg.contains("certificate verify failed") || msg.contains("unable to get local issuer")) {
            place.ifPresent(p -> b.fix(Fix.directive("proxy_ssl_verify_depth 3;    # the default of 1 stops at "
                    + "intermediate CAs", p)));
        }
        in.clientsGot(f.server()).ifPresent(c -> b.evidence(ConnectionRule.accessSource(in), c, 1));
        return b.build();
    }
}
