package dev.chatops.checks.tls;

import dev.chatops.checks.tls.probe.NginxDump;
import dev.chatops.checks.tls.probe.TlsProbes;
import dev.chatops.checks.tls.rules.TlsRules;
import dev.chatops.checks.tls.target.Targets;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.Setting;
import java.util.ArrayList;
import java.util.List;

/**
 * The tls check: every certificate nginx serves and every HTTPS upstream it proxies to, for expiry, chain,
 * names and (served ones) the key. What to look at comes from nginx's own configuration, found the way the
 * nginx502 check finds it; certificates are decoded here, from the PEM text the probes read.
 */
public final class TlsCheck implements Check {

    public static final String WARN_DAYS = "warnDays";
    static final int DEFAULT_WARN_DAYS = 14;

    @Override
    public String name() {
        return "tls";
    }

    @Override
    public String help() {
        return "Checks every certificate nginx serves (ssl_certificate) and every HTTPS upstream it proxies to: "
                + "expired or expiring, incomplete chain, a name the certificate does not cover, a key that does not "
                + "match. Usage: /tlscheck <host>";
    }

    @Override
    public List<Setting> settings() {
        return List.of(Setting.wholeNumber(WARN_DAYS, DEFAULT_WARN_DAYS, 1, 365,
                "Days before a certificate expires from which it is reported."));
    }

    @Override
    public List<Probe> probes(CheckOptions options) {
        return TlsProbes.first();
    }

    @Override
    public List<Probe> followUp(Evidence firstBatch, CheckOptions options) {
        return TlsProbes.followUp(targets(firstBatch));
    }

    @Override
    public Diagnosis diagnose(Evidence evidence) {
        int warnDays = evidence.settings().wholeNumber(WARN_DAYS, DEFAULT_WARN_DAYS);
        NginxDump dump = NginxDump.parse(evidence.stdout(TlsProbes.NGINX));
        List<String> notes = new ArrayList<>(dump.problems());
        if (evidence.probe(TlsProbes.NGINX).map(r -> !r.ok() || r.stdout().isEmpty()).orElse(true)) {
            return Diagnosis.inconclusive("The probe that reads nginx's configuration did not run to the end, so no "
                    + "certificate was checked; run it again, or check the bot can log in and run sh.", notes);
        }
        if (!dump.installed()) {
            return Diagnosis.inconclusive("No nginx is installed where this check looks, so it found no certificate "
                    + "to check.", notes);
        }
        if (dump.configs().isEmpty()) {
            return Diagnosis.inconclusive("nginx's configuration could not be read, so no certificate was checked"
                    + (notes.isEmpty() ? "." : ": " + notes.get(0)), notes);
        }
        Targets targets = Targets.of(dump.configs());
        notes.addAll(targets.notes());
        if (targets.isEmpty()) {
            return Diagnosis.inconclusive("nginx serves no certificate and proxies to no HTTPS upstream, so there is "
                    + "nothing for this check to look at.", notes);
        }
        if (!dump.running()) {
            notes.add(0, "nginx is not running: these are the certificates its config will serve when it starts");
        }
        TlsRules.Outcome o = TlsRules.judge(evidence, targets, warnDays);
        List<String> all = new ArrayList<>(o.unread());
        all.addAll(o.notes());
        all.addAll(notes);
        if (!o.causes().isEmpty()) {
            return Diagnosis.causes(TlsRules.summary(o.counted(), warnDays), o.causes(), all);
        }
        if (o.checked().isEmpty() || !o.unread().isEmpty()) {
            int n = o.unread().size();
            return Diagnosis.inconclusive(n + (n == 1 ? " certificate" : " certificates") + " could not be read"
                    + (o.checked().isEmpty() ? "" : " (" + o.checked().size() + (o.checked().size() == 1 ? " read was"
                    : " read were") + " fine)") + ": "
                    + o.unread().get(0), all);
        }
        int n = o.checked().size();
        return Diagnosis.healthy(n + (n == 1 ? " certificate" : " certificates") + " checked: valid for more than "
                + warnDays + " days, chains complete, names covered" + o.firstExpiry().map(f -> "; the first to expire "
                + "is " + f).orElse(""), all);
    }

    private static Targets targets(Evidence e) {
        return Targets.of(NginxDump.parse(e.stdout(TlsProbes.NGINX)).configs());
    }
}
