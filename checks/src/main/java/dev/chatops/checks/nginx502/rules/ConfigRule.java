package dev.chatops.checks.nginx502.rules;

import dev.chatops.checks.nginx502.evidence.ConfigTest;
import dev.chatops.checks.nginx502.evidence.NginxInstance;
import dev.chatops.checks.nginx502.finding.CauseId;
import dev.chatops.checks.nginx502.finding.Confidence;
import dev.chatops.checks.nginx502.finding.Finding;
import dev.chatops.checks.nginx502.incident.Incident;
import dev.chatops.core.spi.Fix;
import java.util.List;
import java.util.Set;

/**
 * The config on disk does not pass {@code nginx -t}: nginx will not start, or the next reload will fail
 * (the running master keeps its old config). Names that do not resolve are left to the DNS rule.
 */
final class ConfigRule implements Rule {

    @Override
    public Set<CauseId> produces() {
        return Set.of(CauseId.CONFIG_INVALID);
    }

    @Override
    public List<Finding> apply(Incident in) {
        NginxInstance n = in.instance();
        ConfigTest t = n.test();
        if (t.outcome() != ConfigTest.Outcome.FAILED || t.message().contains("host not found in upstream")) {
            return List.of();
        }
        String where = t.at().map(l -> " at " + l).orElse("");
        Finding.Builder b = Finding.of(CauseId.CONFIG_INVALID, n.running() ? Confidence.DOUBTFUL : Confidence.PROVEN)
                .headline("nginx -t fails" + where + ": " + t.message())
                .detail("nginx -t says: \"" + t.message() + "\"" + where + ". " + (n.running()
                        ? "The running master still serves its previous config, but the next reload or restart will "
                        + "fail; the config on disk is not what is running."
                        : "This is why nginx does not start."))
                .evidence("nginx -t", t.message() + where, 1);
        t.at().ifPresent(l -> b.fix(Fix.directive(n.config().lineText(l.file(), l.line()).orElse(t.message())
                + "    # nginx -t: " + t.message(), l)));
        b.fix(Fix.command(n.testCommand() + "    # until it passes, then " + (n.running() ? "reload" : "start nginx")));
        return List.of(b.build());
    }
}
