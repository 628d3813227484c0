package dev.chatops.checks.nginx502.rules;

import dev.chatops.checks.nginx502.finding.CauseId;
import dev.chatops.checks.nginx502.finding.Confidence;
import dev.chatops.checks.nginx502.finding.Finding;
import dev.chatops.checks.nginx502.incident.Failure;
import dev.chatops.checks.nginx502.incident.Incident;
import dev.chatops.checks.nginx502.incident.Texts;
import dev.chatops.checks.nginx502.parse.host.Listener;
import dev.chatops.checks.nginx502.parse.host.UpstreamChecks;
import dev.chatops.core.spi.Fix;
import dev.chatops.nginx.config.Directive;
import dev.chatops.nginx.config.Endpoint;
import dev.chatops.nginx.log.ErrorKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * nginx and the backend do not speak the same protocol: plain HTTP to a TLS port, HTTPS to a plain port,
 * FastCGI to an HTTP server, HTTP to php-fpm, or a port that is not HTTP at all.
 */
final class ProtocolRule implements Rule {

    @Override
    public Set<CauseId> produces() {
        return Set.of(CauseId.PROTOCOL_MISMATCH);
    }

    @Override
    public List<Finding> apply(Incident in) {
        List<Finding> out = new ArrayList<>();
        for (Failure f : in.failures()) {
            Optional<UpstreamChecks.TcpResult> probe = tcp(in, f);
            String msg = f.last().message().toLowerCase(Locale.ROOT);
            if (plainToTls(in, f)) {
                out.add(finding(in, f, Confidence.CONFIRMED, "speaks TLS, but nginx sends plain HTTP",
                        f.endpoint().get().key() + " completes a TLS handshake from this host"
                                + probe.flatMap(UpstreamChecks.TcpResult::subject).map(s -> " (certificate " + s + ")")
                                .orElse("") + ", so nginx's plain-HTTP request reads as garbage to it.",
                        rewriteScheme(f, "http://", "https://")));
            } else if (f.kind() == ErrorKind.SSL_HANDSHAKE && (msg.contains("wrong version number")
                    || msg.contains("packet length too long") || msg.contains("http request")
                    || probe.map(p -> p.speaksHttp() && !p.speaksTls()).orElse(false))) {
                out.add(finding(in, f, Confidence.STRONG, "speaks plain HTTP, but nginx starts TLS (https://)",
                        "The TLS handshake fails (" + f.last().message().replaceFirst(" while SSL handshaking to upstream$", "")
                                + ")" + probe.filter(UpstreamChecks.TcpResult::speaksHttp).map(p -> ", and "
                                + f.endpoint().get().key() + " answers plain HTTP (" + p.httpCode().getAsInt() + ") from this host")
                                .orElse("") + ".",
                        rewriteScheme(f, "https://", "http://")));
            } else if (f.kind() == ErrorKind.FASTCGI_PROTOCOL) {
                boolean http = probe.map(UpstreamChecks.TcpResult::speaksHttp).orElse(false);
                out.add(finding(in, f, http ? Confidence.PROVEN : Confidence.FIRM, "is not a FastCGI server, but nginx speaks FastCGI to it",
                        "The answer to nginx's FastCGI request is not FastCGI (" + f.last().message()
                                .replaceFirst(" while reading response header from upstream$", "") + ")"
                                + (http ? "; " + f.endpoint().get().key() + " answers plain HTTP (" + probe.get().httpCode()
                                .getAsInt() + ")" : "") + ". Use proxy_pass for an HTTP backend.",
                        f.target().map(t -> new Fix(Fix.Kind.DIRECTIVE, "proxy_pass http://" + t.target() + ";",
                                Optional.of(t.directive().at())))));
            } else if (f.kind() == ErrorKind.NO_VALID_HTTP) {
                Optional<Listener> who = f.endpoint().flatMap(e -> in.host().listeners().serving(e).stream().findFirst());
                boolean php = who.map(l -> l.programs().stream().anyMatch(p -> p.startsWith("php"))).orElse(false);
                boolean tls = probe.map(UpstreamChecks.TcpResult::speaksTls).orElse(false);
                Optional<Fix> fix = tls ? rewriteScheme(f, "http://", "https://")
                        : php ? f.target().map(t -> new Fix(Fix.Kind.DIRECTIVE, "fastcgi_pass " + t.target()
                        + "; include fastcgi_params; fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;",
                        Optional.of(t.directive().at())))
                        : f.target().map(t -> new Fix(Fix.Kind.DIRECTIVE, t.directive().text()
                        + "    # point it at the service's HTTP port", Optional.of(t.directive().at())));
                out.add(finding(in, f, Confidence.HIGH, tls ? "speaks TLS, but nginx sends plain HTTP"
                                : php ? "is php-fpm (FastCGI), but nginx speaks HTTP to it" : "does not answer in HTTP",
                        "nginx got no HTTP status line back (\"upstream sent no valid HTTP/1.0 header\"); it passed "
                                + "the bytes through as HTTP/0.9 and logged status 009. " + who.map(l -> "What listens "
                                + "there is " + l.label() + ". ").orElse("") + (tls ? "It completes a TLS handshake. " : ""),
                        fix));
            }
        }
        return out;
    }

    static Optional<UpstreamChecks.TcpResult> tcp(Incident in, Failure f) {
        return f.endpoint().filter(e -> !e.isUnix()).flatMap(e -> in.host().upstreams().tcp(e));
    }

    /** Plain HTTP to a port that completes a TLS handshake and does not answer plain HTTP. */
    static boolean plainToTls(Incident in, Failure f) {
        if (!f.scheme().equals("http") || !(f.kind() == ErrorKind.RESET || f.kind() == ErrorKind.PREMATURE_CLOSE
                || f.kind() == ErrorKind.NO_VALID_HTTP || f.kind() == ErrorKind.OTHER_UPSTREAM
                || f.kind() == ErrorKind.INVALID_HEADER)) {
            return false;
        }
        return tcp(in, f).map(p -> p.speaksTls() && !p.speaksHttp()).orElse(false);
    }

    private static Optional<Fix> rewriteScheme(Failure f, String from, String to) {
        if (f.target().isEmpty()) {
            return Optional.empty();
        }
        Directive d = f.target().get().directive();
        String text = d.text().contains(from) ? d.text().replace(from, to) : d.name() + " " + to
                + f.target().get().target() + ";";
        return Optional.of(new Fix(Fix.Kind.DIRECTIVE, text, Optional.of(d.at())));
    }

    private static Finding finding(Incident in, Failure f, Confidence conf, String what, String why, Optional<Fix> fix) {
        String addr = f.endpoint().map(Endpoint::key).orElse("the upstream");
        Finding.Builder b = Finding.of(CauseId.PROTOCOL_MISMATCH, conf)
                .headline(f.serverName() + " → " + f.upstreamLabel() + (f.upstreamLabel().equals(addr) ? " " : ": " + addr + " ")
                        + what)
                .detail(why.strip() + " " + f.count() + " requests failed " + Texts.span(f.first(), f.last()) + ".")
                .evidence(f);
        fix.ifPresent(b::fix);
        b.fix(Fix.command(in.instance().reloadCommand()));
        in.clientsGot(f.server()).ifPresent(c -> b.evidence(in.accessSource(), c, 1));
        return b.build();
    }
}
