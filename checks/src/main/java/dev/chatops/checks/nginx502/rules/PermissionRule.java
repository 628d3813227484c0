package dev.chatops.checks.nginx502.rules;

import dev.chatops.checks.nginx502.evidence.HostEvidence;
import dev.chatops.checks.nginx502.finding.CauseId;
import dev.chatops.checks.nginx502.finding.Confidence;
import dev.chatops.checks.nginx502.finding.Finding;
import dev.chatops.checks.nginx502.fix.Words;
import dev.chatops.checks.nginx502.incident.Backends;
import dev.chatops.checks.nginx502.incident.Failure;
import dev.chatops.checks.nginx502.incident.Incident;
import dev.chatops.checks.nginx502.parse.host.KernelEvents;
import dev.chatops.checks.nginx502.parse.host.UpstreamChecks;
import dev.chatops.checks.nginx502.parse.phpfpm.PhpFpm;
import dev.chatops.checks.nginx502.parse.phpfpm.PhpFpmPool;
import dev.chatops.core.spi.Fix;
import dev.chatops.core.spi.Location;
import dev.chatops.nginx.config.Endpoint;
import dev.chatops.nginx.log.ErrorKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code connect() … failed (13: Permission denied)}: on a unix socket, the socket's owner and mode do not let
 * nginx's worker user in ({@code socket-permission}), unless AppArmor denied it; on TCP, SELinux
 * ({@code selinux-denied}) or AppArmor ({@code apparmor-denied}).
 */
final class PermissionRule implements Rule {

    @Override
    public Set<CauseId> produces() {
        return Set.of(CauseId.APPARMOR_DENIED, CauseId.SELINUX_DENIED, CauseId.SOCKET_PERMISSION);
    }

    @Override
    public List<Finding> apply(Incident in) {
        List<Finding> out = new ArrayList<>();
        HostEvidence host = in.host();
        List<KernelEvents.Denial> aa = host.kernel().apparmor().stream()
                .filter(d -> d.subject().contains("nginx") || d.line().contains("comm=\"nginx\"")).toList();
        List<KernelEvents.Denial> avc = host.kernel().avc().stream()
                .filter(d -> d.subject().equals("nginx") || d.line().contains("httpd_t")).toList();
        for (Failure f : in.failures(ErrorKind.PERMISSION)) {
            if (f.endpoint().isEmpty()) {
                continue;
            }
            Endpoint e = f.endpoint().get();
            if (!aa.isEmpty()) {
                out.add(apparmor(in, f, aa));
            }
            if (e.isUnix()) {
                out.add(socket(in, f, e, aa.isEmpty() ? Confidence.HIGH : Confidence.POSSIBLE));
            } else {
                out.add(selinux(in, f, e, avc));
            }
        }
        if (out.isEmpty() && !avc.isEmpty() && in.gatewayErrors() > 0) {
            KernelEvents.Denial d = avc.get(avc.size() - 1);
            out.add(Finding.of(CauseId.SELINUX_DENIED, Confidence.PLAUSIBLE)
                    .headline("SELinux denies nginx " + d.operation() + " (" + d.target() + ")")
                    .detail("The audit log shows SELinux AVC denials for nginx while clients got 502/504.")
                    .evidence("audit.log", d.line(), avc.size())
                    .fix(Fix.command("sudo setsebool -P httpd_can_network_connect 1")).build());
        }
        return out;
    }

    private Finding socket(Incident in, Failure f, Endpoint e, Confidence base) {
        HostEvidence host = in.host();
        String user = in.instance().effectiveWorkerUser();
        List<String> groups = host.upstreams().groupsOf(user);
        Optional<UpstreamChecks.UnixResult> stat = host.upstreams().unix(e);
        String path = e.unixPath().orElseThrow();
        Optional<PhpFpmPool> pool = Backends.poolFor(host, e);
        StringBuilder detail = new StringBuilder("nginx's workers run as ").append(user)
                .append(groups.isEmpty() ? "" : " (groups " + String.join(", ", groups) + ")");
        Confidence conf = base;
        String sockText = "";
        if (stat.isPresent() && stat.get().exists()) {
            UpstreamChecks.UnixResult s = stat.get();
            sockText = path + " is " + s.owner().orElse("?") + ":" + s.group().orElse("?") + " mode "
                    + s.mode().orElse("?");
            detail.append("; ").append(sockText);
            boolean writable = writable(s, user, groups);
            if (writable) {
                conf = conf.atMost(Confidence.DOUBTFUL);
                detail.append(", which should let it in: something else (AppArmor, SELinux) denies it");
            } else {
                detail.append(", so connect() is denied");
            }
        } else {
            conf = conf.atMost(Confidence.PROBABLE);
        }
        detail.append('.');
        pool.ifPresent(p -> detail.append(" The socket is created by php-fpm pool [").append(p.name()).append("] (")
                .append(p.file()).append("): listen.owner = ").append(p.listenOwner()).append(", listen.group = ")
                .append(p.listenGroup()).append(", listen.mode = ").append(p.listenMode()).append('.'));
        Finding.Builder b = Finding.of(CauseId.SOCKET_PERMISSION, conf)
                .headline(f.serverName() + " → " + path + ": permission denied for nginx's user " + user
                        + (sockText.isEmpty() ? "" : " (" + sockText.substring(path.length() + 4) + ")"))
                .detail(detail.toString())
                .evidence(f);
        if (!sockText.isEmpty()) {
            b.evidence("stat " + path, sockText, 1);
        }
        if (pool.isPresent()) {
            poolFixes(host, pool.get(), e, user).forEach(b::fix);
        } else {
            String socket = Words.path(path).orElse(Words.PATH);
            b.fix(Fix.command("sudo chgrp " + Words.user(user).orElse(Words.USER) + " " + socket + " && sudo chmod 660 "
                    + socket + "    # then make the service that creates the socket do so itself"));
        }
        in.clientsGot(f.server()).ifPresent(c -> b.evidence(in.accessSource(), c, 1));
        return b.build();
    }

    /** The listen settings the pool does not have yet, then what makes php-fpm apply them. */
    private static List<Fix> poolFixes(HostEvidence host, PhpFpmPool p, Endpoint e, String user) {
        List<Fix> fixes = new ArrayList<>();
        Location fallback = p.setting("listen").map(PhpFpmPool.Setting::at).orElse(p.at());
        // the user comes from the host's config or process table: a pool setting names it only when valid
        String owner = Words.user(user).orElse(Words.USER);
        String[][] wanted = {{"listen.owner", owner, p.listenOwner()}, {"listen.group", owner, p.listenGroup()},
                {"listen.mode", "0660", p.listenMode()}};
        for (String[] kv : wanted) {
            // a setting the pool already has (or defaults to) with that value changes nothing
            if (!kv[2].strip().replaceFirst("^0+", "").equals(kv[1].replaceFirst("^0+", ""))) {
                fixes.add(Fix.directive(kv[0] + " = " + kv[1], p.setting(kv[0]).map(PhpFpmPool.Setting::at)
                        .orElse(fallback)));
            }
        }
        if (!fixes.isEmpty()) {
            applyPoolChange(host, p, e).ifPresent(c -> fixes.add(Fix.command(c)));
        }
        return fixes;
    }

    static boolean writable(UpstreamChecks.UnixResult s, String user, List<String> groups) {
        if (user.equals("root")) {
            return true;
        }
        int mode;
        try {
            mode = Integer.parseInt(s.mode().orElse("0"), 8);
        } catch (NumberFormatException e) {
            return false;
        }
        if (s.owner().orElse("").equals(user) && (mode & 0200) != 0) {
            return true;
        }
        if (groups.contains(s.group().orElse("")) && (mode & 0020) != 0) {
            return true;
        }
        return (mode & 0002) != 0;
    }

    private Finding selinux(Incident in, Failure f, Endpoint e, List<KernelEvents.Denial> avc) {
        HostEvidence host = in.host();
        Optional<String> mode = host.facts().selinux();
        Boolean connect = host.facts().sebools().get("httpd_can_network_connect");
        boolean enforcing = mode.map(m -> m.toLowerCase(Locale.ROOT).startsWith("enforcing")).orElse(false);
        Confidence conf = !avc.isEmpty() ? Confidence.PROVEN : enforcing ? Confidence.LIKELY : mode.isEmpty() ? Confidence.FAINT : Confidence.GUESS;
        Finding.Builder b = Finding.of(CauseId.SELINUX_DENIED, conf)
                .headline(f.serverName() + " → " + f.upstreamLabel() + ": SELinux denies nginx's connect to "
                        + e.key())
                .detail("connect() to " + e.key() + " fails with permission denied (13)"
                        + (mode.map(m -> "; SELinux is " + m).orElse("; getenforce is not available here"))
                        + (connect == null ? "" : ", httpd_can_network_connect is " + (connect ? "on" : "off"))
                        + (avc.isEmpty() ? "" : "; the audit log shows " + avc.size() + " AVC denial(s) for nginx")
                        + ". nginx runs as httpd_t, which may only connect to http ports unless the boolean is on.")
                .evidence(f);
        if (!avc.isEmpty()) {
            b.evidence("/var/log/audit/audit.log", avc.get(avc.size() - 1).line(), avc.size());
        }
        mode.ifPresent(m -> b.evidence("getenforce", m + (connect == null ? ""
                : "; httpd_can_network_connect --> " + (connect ? "on" : "off")), 1));
        b.fix(Fix.command("sudo setsebool -P httpd_can_network_connect 1"));
        b.fix(Fix.command("sudo ausearch -m avc -ts recent -c nginx    # confirm the denials"));
        in.clientsGot(f.server()).ifPresent(c -> b.evidence(in.accessSource(), c, 1));
        return b.build();
    }

    private Finding apparmor(Incident in, Failure f, List<KernelEvents.Denial> aa) {
        KernelEvents.Denial d = aa.get(aa.size() - 1);
        String profile = d.subject().isEmpty() ? "/usr/sbin/nginx" : d.subject();
        // the profile and the denied name come from the kernel log (a socket's path is anybody's choice): the
        // profile's file goes into a command only as a valid path, the rule to add only after a comment
        String file = Words.path(profile.startsWith("/") ? "/etc/apparmor.d/" + profile.substring(1).replace('/', '.')
                : "/etc/apparmor.d/" + profile).orElse(Words.PATH);
        return Finding.of(CauseId.APPARMOR_DENIED, Confidence.CONFIRMED)
                .headline(f.serverName() + " → " + f.upstreamLabel() + ": AppArmor profile " + profile + " denies "
                        + d.operation() + " " + d.target())
                .detail("The kernel log shows AppArmor denying nginx (" + aa.size() + " denial(s), profile " + profile
                        + ", operation " + d.operation() + " on " + d.target() + "), matching nginx's "
                        + "permission-denied errors.")
                .evidence(f)
                .evidence("dmesg", d.line(), aa.size())
                .fix(Fix.command("sudo aa-complain " + file + "    # confirm: the errors stop in complain mode"))
                .fix(Fix.command("sudo apparmor_parser -r " + file + "    # after allowing it in that profile, e.g. "
                        + (d.target().startsWith("/") ? Words.shown(d.target()) + " rw," : "network inet stream,")))
                .build();
    }

    /**
     * How the pool's new socket settings take effect: php-fpm applies listen.owner/group/mode only when it
     * creates the socket, and a reload hands the old socket over, so it is restarted; a running master is
     * stopped and started again, never started a second time.
     */
    private static Optional<String> applyPoolChange(HostEvidence host, PhpFpmPool p, Endpoint e) {
        String note = "    # php-fpm sets the socket's owner and mode only when it creates it";
        Optional<String> cmd = host.facts().restartCommand(p.serviceName());
        if (cmd.isPresent()) {
            return Optional.of(cmd.get() + note);
        }
        Optional<PhpFpm.Master> master = host.phpFpm().masters().stream().filter(m -> m.config().equals(p.config()))
                .findFirst();
        String bin = Words.name(p.serviceName().replaceFirst("^php(\\d+\\.\\d+)-fpm$", "php-fpm$1")).orElse("php-fpm");
        if (master.isPresent()) {
            return Optional.of("sudo kill -QUIT " + master.get().pid() + " && sudo " + bin + " --fpm-config "
                    + Words.path(p.config()).orElse(Words.PATH) + note);
        }
        return Backends.restart(host, Optional.of(p.serviceName()), e).stream().findFirst();
    }
}
