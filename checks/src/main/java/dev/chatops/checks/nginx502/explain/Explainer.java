package dev.chatops.checks.nginx502.explain;

import dev.chatops.checks.nginx502.finding.CauseId;
import dev.chatops.core.redact.Redactor;
import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Explanation;
import dev.chatops.core.spi.Fix;
import dev.chatops.core.spi.PastedText;
import dev.chatops.nginx.log.AccessLogLine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What pasted lines alone say about a 502: each line read by the strictest reader that takes it, the causes
 * its words support (the catalogue's ids and titles, as the full check names them), the fix in general form
 * and the commands that confirm it on the host. A cause the lines support together ranks above one line's
 * reading: an OOM kill beside refused connections is why they were refused.
 */
public final class Explainer {

    /** How many pasted lines a cause quotes, beside the count of all that support it. */
    private static final int QUOTED = 3;
    private static final int LISTED = 10;
    private static final List<String> KINDS = List.of("nginx error log", "access log", "php-fpm log", "kernel log");

    private Explainer() {
    }

    public static Explanation explain(PastedText text) {
        List<Reading> readings = text.lines().stream().map(LineReader::read).toList();
        Map<String, Integer> recognised = new LinkedHashMap<>();
        KINDS.forEach(k -> recognised.put(k, 0));
        Map<String, Support> support = new LinkedHashMap<>();
        List<PastedText.Line> unmatched = new ArrayList<>();
        List<Reading.Access> access = new ArrayList<>();
        int quietErrors = 0;
        int otherUpstream = 0;
        for (Reading r : readings) {
            if (r instanceof Reading.Unmatched) {
                unmatched.add(r.line());
                continue;
            }
            recognised.merge(r.kind(), 1, Integer::sum);
            List<Signal> signals;
            if (r instanceof Reading.NginxError e) {
                signals = Advice.error(e.error());
                if (signals.isEmpty() && e.error().kind().aboutUpstream()) {
                    otherUpstream++;
                } else if (signals.isEmpty()) {
                    quietErrors++;
                }
            } else if (r instanceof Reading.PhpFpmLog p) {
                signals = Advice.phpFpm(p.level(), p.message());
            } else if (r instanceof Reading.Kernel k) {
                signals = Advice.kernel(k.events());
            } else {
                Reading.Access a = (Reading.Access) r;
                access.add(a);
                signals = AccessSignals.of(a);
            }
            for (Signal s : signals) {
                support.computeIfAbsent(s.id(), id -> new Support()).add(s, r);
            }
        }
        recognised.values().removeIf(n -> n == 0);
        together(support);

        List<Explanation.Confirmation> confirm = new ArrayList<>();
        List<Cause> causes = new ArrayList<>();
        support.entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<String, Support> e) -> e.getValue().confidence).reversed())
                .forEach(e -> {
                    causes.add(e.getValue().cause(e.getKey()));
                    e.getValue().confirm.forEach(c -> confirm.add(new Explanation.Confirmation(e.getKey(), c)));
                });

        List<String> notes = new ArrayList<>();
        clients(access).ifPresent(notes::add);
        if (quietErrors > 0) {
            notes.add(quietErrors + " nginx error-log line" + (quietErrors == 1 ? " is" : "s are") + " not about an "
                    + "upstream (a missing file, a client that went away) and point at no cause of 502");
        }
        if (otherUpstream > 0) {
            notes.add(otherUpstream + " nginx error-log line" + (otherUpstream == 1 ? " is an upstream error" : "s are "
                    + "upstream errors") + " with no cause of the catalogue behind it (e.g. an error while reading the "
                    + "body, after the status was sent): run the check on the host to see the rest");
        }
        if (!unmatched.isEmpty()) {
            notes.add(unmatched.size() + " line" + (unmatched.size() == 1 ? " was" : "s were") + " not recognised as "
                    + "an nginx error or access log, php-fpm or kernel line: " + lineNumbers(unmatched)
                    + "; paste whole lines, as the log file has them");
        }
        if (text.notText() > 0) {
            notes.add(text.notText() + " line" + (text.notText() == 1 ? "" : "s") + " held control characters "
                    + "(binary data or terminal escapes) and " + (text.notText() == 1 ? "was" : "were") + " not read");
        }
        if (text.dropped() > 0) {
            notes.add("only the first " + PastedText.MAX_LINES + " lines were read; " + text.dropped()
                    + " more were not");
        }
        if (text.cut()) {
            notes.add("only the first " + PastedText.MAX_CHARS / 1024 + " KiB of the text were read");
        }
        int read = text.lines().size() - unmatched.size();
        if (!causes.isEmpty()) {
            notes.add("from the pasted lines alone: no host, config or process was looked at, so fixes name "
                    + "directives without a file and line (sudo nginx -T | grep -n NAME finds them); run the check on "
                    + "the host for the cause with its evidence");
            String summary = causes.get(0).title() + " · from " + read + " pasted line" + (read == 1 ? "" : "s")
                    + " (" + kinds(recognised) + ")";
            return new Explanation(Diagnosis.causes(summary, causes, notes), confirm, recognised, unmatched);
        }
        String summary;
        if (text.isEmpty()) {
            summary = "no lines to read: paste nginx error-log lines (or access, php-fpm or kernel log lines) after "
                    + "the command";
        } else if (read == 0) {
            summary = "none of the " + text.lines().size() + " pasted lines is an nginx error or access log, php-fpm "
                    + "or kernel line this check reads; paste whole lines from /var/log/nginx/error.log";
        } else if (!access.isEmpty() && recognised.getOrDefault("nginx error log", 0) == 0) {
            summary = "the access-log lines say what clients got, not why: nginx writes the reason to its error log; "
                    + "paste its lines from the same seconds (sudo tail -n 100 /var/log/nginx/error.log)";
        } else {
            summary = "the " + read + " recognised line" + (read == 1 ? "" : "s") + " (" + kinds(recognised)
                    + ") point at no cause of 502; paste the nginx error-log lines from when clients got 502";
        }
        return new Explanation(Diagnosis.inconclusive(summary, notes), List.of(), recognised, unmatched);
    }

    /**
     * Causes that explain others when both are pasted: the kill behind the refusals, the full pool behind the
     * timeouts, the kernel's denial behind nginx's permission error.
     */
    private static void together(Map<String, Support> support) {
        Support oom = support.get(CauseId.OOM_KILLED.id());
        boolean failing = support.containsKey(CauseId.UPSTREAM_DOWN.id()) || support.containsKey(CauseId.CLOSED_EARLY.id());
        if (oom != null && failing && oom.kinds.contains("kernel log")) {
            oom.confidence = Math.max(oom.confidence, 0.88);
        }
        // the kernel's own denial names the program and what it was denied: it outranks nginx's "permission denied"
        for (String id : List.of(CauseId.APPARMOR_DENIED.id(), CauseId.SELINUX_DENIED.id())) {
            Support denial = support.get(id);
            if (denial != null && denial.kinds.contains("kernel log") && denial.confidence >= 0.7) {
                denial.confidence = Math.max(denial.confidence, 0.88);
            }
        }
        Support pool = support.get(CauseId.PHP_FPM_SATURATED.id());
        if (pool != null && support.containsKey(CauseId.TIMEOUT.id()) && pool.kinds.contains("php-fpm log")) {
            pool.confidence = Math.max(pool.confidence, 0.88);
        }
    }

    private static java.util.Optional<String> clients(List<Reading.Access> access) {
        if (access.isEmpty()) {
            return java.util.Optional.empty();
        }
        Map<Integer, Integer> byStatus = new TreeMap<>();
        access.forEach(a -> byStatus.merge(a.access().status(), 1, Integer::sum));
        String counts = byStatus.entrySet().stream().sorted(Map.Entry.<Integer, Integer>comparingByValue().reversed())
                .map(e -> e.getValue() + "× " + String.format("%03d", e.getKey())).collect(Collectors.joining(", "));
        List<java.time.Instant> times = access.stream().map(a -> a.access().time()).flatMap(java.util.Optional::stream)
                .sorted().toList();
        String when = times.isEmpty() ? "" : times.get(0).equals(times.get(times.size() - 1)) ? " at " + times.get(0)
                : " from " + times.get(0) + " to " + times.get(times.size() - 1);
        return java.util.Optional.of("clients got " + counts + " in the " + access.size() + " access-log line"
                + (access.size() == 1 ? "" : "s") + when);
    }

    private static String kinds(Map<String, Integer> recognised) {
        return recognised.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }

    private static String lineNumbers(List<PastedText.Line> lines) {
        return "line" + (lines.size() == 1 ? " " : "s ") + lines.stream().limit(LISTED).map(l -> Integer.toString(l.number()))
                .collect(Collectors.joining(", ")) + (lines.size() > LISTED ? " and " + (lines.size() - LISTED) + " more" : "");
    }

    /** Everything the pasted lines say for one cause. */
    private static final class Support {
        double confidence;
        String detail = "";
        final Set<Fix> fixes = new LinkedHashSet<>();
        final Set<String> confirm = new LinkedHashSet<>();
        final Set<String> kinds = new LinkedHashSet<>();
        /** The first line of each distinct message, with how many lines had it. */
        final Map<String, Quoted> quoted = new LinkedHashMap<>();
        int lines;

        void add(Signal s, Reading r) {
            if (detail.isEmpty() || s.confidence() > confidence) {
                detail = s.detail();
            }
            confidence = Math.max(confidence, s.confidence());
            fixes.addAll(s.fixes());
            confirm.addAll(s.confirm());
            kinds.add(r.kind());
            lines++;
            quoted.computeIfAbsent(shape(r), k -> new Quoted(r.line())).count++;
        }

        Cause cause(String id) {
            Cause.Builder b = Cause.of(id, CauseId.titleOf(id)).confidence(confidence)
                    .detail(detail + (lines > 1 ? " (" + lines + " pasted lines support it.)" : ""));
            quoted.values().stream().limit(QUOTED).forEach(q -> b.evidence("pasted line " + q.line.number(),
                    Redactor.redact(q.line.text()), q.count));
            fixes.forEach(b::fix);
            return b.build();
        }

        /** Lines that differ only in their time, connection number or request are the same message. */
        private static String shape(Reading r) {
            if (r instanceof Reading.NginxError e) {
                return "error:" + e.error().kind() + ":" + e.error().upstream().map(u -> u.replaceAll("/.*$", "")).orElse("");
            }
            if (r instanceof Reading.Access a) {
                return "access:" + a.access().status();
            }
            if (r instanceof Reading.PhpFpmLog p) {
                return "fpm:" + p.message().replaceAll("\\d+", "N");
            }
            return "kernel:" + r.line().number();
        }
    }

    private static final class Quoted {
        final PastedText.Line line;
        int count;

        Quoted(PastedText.Line line) {
            this.line = line;
        }
    }
}
