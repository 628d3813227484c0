package dev.chatops.checks.nginx502.rules;

import dev.chatops.checks.nginx502.finding.CauseId;
import dev.chatops.checks.nginx502.finding.Confidence;
import dev.chatops.checks.nginx502.finding.Finding;
import dev.chatops.checks.nginx502.fix.Places;
import dev.chatops.checks.nginx502.fix.Words;
import dev.chatops.checks.nginx502.incident.Failure;
import dev.chatops.checks.nginx502.incident.Incident;
import dev.chatops.checks.nginx502.incident.Texts;
import dev.chatops.core.spi.Fix;
import dev.chatops.core.spi.Location;
import dev.chatops.nginx.config.Directive;
import dev.chatops.nginx.config.Endpoint;
import dev.chatops.nginx.config.Units;
import dev.chatops.nginx.log.ErrorKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The backend answered, but with headers nginx will not take: too big for the buffer
 * ({@code buffer-too-small}), or malformed ({@code upstream-invalid-header}).
 */
final class HeaderRule implements Rule {

    @Override
    public Set<CauseId> produces() {
        return Set.of(CauseId.BUFFER_TOO_SMALL, CauseId.INVALID_HEADER);
    }

    @Override
    public List<Finding> apply(Incident in) {
        List<Finding> out = new ArrayList<>();
        for (Failure f : in.failures(ErrorKind.TOO_BIG_HEADER)) {
            out.add(tooBig(in, f));
        }
        for (Failure f : in.failures(ErrorKind.INVALID_HEADER)) {
            out.add(invalid(in, f));
        }
        return out;
    }

    private Finding tooBig(Incident in, Failure f) {
        String m = f.module();
        String name = m + "_buffer_size";
        Optional<Directive> set = Places.effective(f.location(), f.server(), name);
        long current = set.flatMap(d -> d.arg(0)).flatMap(Units::size).orElse(4096L);
        long size = Math.max(16 * 1024, Units.size("16k").orElse(16384L));
        if (current >= size) {
            size = current * 2;
        }
        String k = (size / 1024) + "k";
        String text = m.equals("grpc") ? "grpc_buffer_size " + k + ";"
                : name + " " + k + "; " + m + "_buffers 8 " + k + "; " + m + "_busy_buffers_size " + (size * 2 / 1024) + "k;";
        Optional<Location> place = Places.inLocation(f.location(), f.target(), name);
        Finding.Builder b = Finding.of(CauseId.BUFFER_TOO_SMALL, Confidence.PROVEN)
                .headline(f.serverName() + " → " + f.upstreamLabel() + ": response headers are bigger than " + name
                        + " " + (current / 1024) + "k")
                .detail(f.endpoint().map(Endpoint::key).orElse("The upstream") + " sent response headers larger than "
                        + name + " (" + (current / 1024) + "k" + set.map(d -> ", set at " + d.file() + ":" + d.line())
                        .orElse(", nginx's default of one memory page") + ") " + Texts.times(f.count()) + " "
                        + Texts.span(f.first(), f.last()) + "; nginx cannot buffer them and answers 502. Big cookies or "
                        + "long Link/CSP headers usually cause it.")
                .evidence(f);
        place.ifPresent(p -> b.fix(Fix.directive(text, p)));
        b.fix(Fix.command(in.instance().reloadCommand()));
        in.clientsGot(f.server()).ifPresent(c -> b.evidence(in.accessSource(), c, 1));
        return b.build();
    }

    private Finding invalid(Incident in, Failure f) {
        String msg = f.last().message();
        String version = in.instance().version();
        String addr = f.endpoint().map(Endpoint::key).orElse("the upstream");
        Finding.Builder b = Finding.of(CauseId.INVALID_HEADER, Confidence.HIGH)
                .headline(f.serverName() + " → " + f.upstreamLabel() + " sends a response header nginx refuses")
                .detail("nginx " + (version.isEmpty() ? "" : version.replaceFirst("^nginx/", "") + " ") + "rejected the response of " + addr + " "
                        + Texts.times(f.count()) + ": \"" + msg.replaceFirst(" while reading response header from upstream$", "")
                        + "\". Since 1.21.1 nginx refuses header names with spaces or control characters, and since "
                        + "1.23.0 duplicate or conflicting Content-Length/Transfer-Encoding; this often shows up right "
                        + "after an nginx upgrade. The backend must send valid headers.")
                .evidence(f);
        // the request's URI is the client's: in the command only as a plain path, else as a placeholder
        Optional<String> url = f.fastcgi() ? Optional.empty() : f.endpoint().filter(e -> !e.isUnix())
                .flatMap(e -> Words.httpUrlOrPlaceholder(e, f.last().uri()));
        if (url.isPresent()) {
            b.fix(Fix.command("curl -sS -D - -o /dev/null " + url.get() + "    # see the header it sends, then fix "
                    + "the backend"));
        } else {
            b.fix(Fix.command("fix the header in the backend's response (" + addr + ")"));
        }
        Places.addressReference(f.target(), f.peer(), addr).ifPresent(b::fix);
        in.clientsGot(f.server()).ifPresent(c -> b.evidence(in.accessSource(), c, 1));
        return b.build();
    }
}
