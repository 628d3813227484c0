package dev.chatops.checks.nginx502.incident;

import dev.chatops.checks.nginx502.evidence.HostEvidence;
import dev.chatops.checks.nginx502.fix.Words;
import dev.chatops.checks.nginx502.parse.host.ProcessTable;
import dev.chatops.checks.nginx502.parse.phpfpm.PhpFpm;
import dev.chatops.checks.nginx502.parse.phpfpm.PhpFpmPool;
import dev.chatops.core.spi.Fix;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether php-fpm ran out of children in the window: its own {@code server reached pm.max_children}
 * warnings, or every child of a pool busy now; and what {@code pm.max_children} the memory allows.
 */
public final class PhpFpmSaturation {

    private static final Pattern POOL = Pattern.compile("\\[pool ([^]]+)]");

    public record Saturated(Optional<PhpFpmPool> pool, List<PhpFpm.LogLine> warnings, int children, int workersNow) {
    }

    private PhpFpmSaturation() {
    }

    public static Optional<Saturated> find(HostEvidence host) {
        List<PhpFpm.LogLine> warnings = host.phpFpm().maxChildrenWarnings().stream()
                .filter(l -> host.window().contains(host.window().instantOf(l.time()))).toList();
        for (PhpFpmPool p : host.phpFpm().pools()) {
            if (!host.phpFpm().running(p.config())) {
                continue;
            }
            List<PhpFpm.LogLine> mine = warnings.stream().filter(w -> poolOf(w).map(p.name()::equals).orElse(true))
                    .toList();
            int workers = host.phpFpm().workers().getOrDefault(p.name(), 0);
            int max = p.maxChildren().orElse(0);
            if (!mine.isEmpty()) {
                return Optional.of(new Saturated(Optional.of(p), mine, max, workers));
            }
        }
        if (!warnings.isEmpty()) {
            return Optional.of(new Saturated(Optional.empty(), warnings, 0, 0));
        }
        return Optional.empty();
    }

    public static Optional<String> poolOf(PhpFpm.LogLine l) {
        Matcher m = POOL.matcher(l.message());
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** {@code pm.max_children} from free memory and the children's average size, with how it was computed. */
    public static Fix maxChildrenFix(HostEvidence host, PhpFpmPool pool, StringBuilder why) {
        int current = pool.maxChildren().orElse(5);
        List<ProcessTable.Proc> children = host.processes().processes().stream()
                .filter(p -> p.args().startsWith("php-fpm: pool " + pool.name())).toList();
        OptionalLong avgRss = children.stream().mapToLong(ProcessTable.Proc::rssKb).filter(r -> r > 0).average()
                .stream().mapToLong(a -> (long) a).findFirst();
        Long available = host.facts().meminfoKb().get("MemAvailable");
        int suggested;
        if (avgRss.isPresent() && available != null && avgRss.getAsLong() > 0) {
            long room = (long) (available * 0.5 / avgRss.getAsLong());
            suggested = (int) Math.max(current + 1, Math.min((long) current * 4, current + room));
            why.append(" Each child uses about ").append(avgRss.getAsLong() / 1024).append(" MiB and ")
                    .append(available / 1024).append(" MiB are available: half of that fits ").append(room)
                    .append(" more children, so ").append(suggested).append(" (at most 4× the current ").append(current)
                    .append(").");
        } else {
            suggested = current * 2;
            why.append(" Child memory could not be measured; doubling is a start, then watch memory.");
        }
        return Fix.directive("pm.max_children = " + suggested, pool.setting("pm.max_children")
                .map(PhpFpmPool.Setting::at).orElse(pool.at()));
    }

    /** Reloads php-fpm so it reads its pools again. */
    public static String reload(HostEvidence host, PhpFpmPool pool) {
        Optional<String> cmd = host.facts().serviceCommand(pool.serviceName(), "reload");
        if (cmd.isPresent()) {
            return cmd.get();
        }
        return host.phpFpm().masters().stream().filter(m -> m.config().equals(pool.config())).findFirst()
                .map(m -> "sudo kill -USR2 " + m.pid() + "    # php-fpm master: reload its config")
                .orElse("restart php-fpm    # the one that reads " + Words.shown(pool.config()));
    }
}
