package dev.chatops.checks.nginx502.parse.host;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the kernel and audit logs say about the backends: OOM kills, AppArmor denials and SELinux
 * AVC denials, each with its time when it can be told. {@code problems} says which log could not be
 * read (no permission for dmesg, no audit log), so a report does not claim what it could not see.
 */
public record KernelEvents(List<OomKill> oomKills, List<Denial> apparmor, List<Denial> avc, List<String> problems,
                           boolean kernelLogRead) {

    public record OomKill(Optional<Instant> time, int pid, String program, String line) {
    }

    /** A denial; {@code subject} is the program denied ({@code nginx}), {@code target} what it wanted. */
    public record Denial(Optional<Instant> time, String subject, String operation, String target, boolean permissive,
                         String line) {
    }

    private static final Pattern DMESG_TIME = Pattern.compile("^\\[\\s*(\\d+)\\.(\\d+)]\\s*(.*)$");
    private static final Pattern AUDIT_TIME = Pattern.compile("audit\\((\\d+)\\.(\\d+):\\d+\\)");
    private static final Pattern KILLED = Pattern.compile("Killed process (\\d+) \\(([^)]+)\\)");
    private static final Pattern OOM_TASK = Pattern.compile("oom-kill:.*task=([^,]+),pid=(\\d+)");
    private static final Pattern FIELD = Pattern.compile("\\b(profile|operation|name|comm|requested_mask|tclass|dest|"
            + "scontext|tcontext|permissive|path)=(\"[^\"]*\"|\\S+)");
    private static final Pattern AVC = Pattern.compile("avc:\\s+denied\\s+\\{([^}]*)}");

    public KernelEvents {
        oomKills = List.copyOf(requireNonNull(oomKills, "oomKills is null"));
        apparmor = List.copyOf(requireNonNull(apparmor, "apparmor is null"));
        avc = List.copyOf(requireNonNull(avc, "avc is null"));
        problems = List.copyOf(requireNonNull(problems, "problems is null"));
    }

    /**
     * @param dmesg      {@code dmesg} output (timestamps in seconds since boot)
     * @param bootTime   when the host booted (now minus uptime), to turn those into times
     */
    public static KernelEvents parse(String dmesg, boolean dmesgOk, String dmesgError, String auditLog,
                                     Optional<Instant> bootTime) {
        List<OomKill> ooms = new ArrayList<>();
        List<Denial> apparmor = new ArrayList<>();
        List<Denial> avc = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (!dmesgOk) {
            String why = dmesgError.isBlank() ? "dmesg failed" : dmesgError.strip().split("\n")[0];
            problems.add("kernel log not readable (" + why + "): OOM kills and AppArmor denials could not be checked");
        }
        for (String raw : dmesg.split("\n")) {
            Optional<Instant> time = Optional.empty();
            String text = raw;
            Matcher t = DMESG_TIME.matcher(raw);
            if (t.matches()) {
                text = t.group(3);
                long secs = Long.parseLong(t.group(1));
                time = bootTime.map(b -> b.plusSeconds(secs));
            }
            Optional<Instant> audit = auditTime(raw);
            if (audit.isPresent()) {
                time = audit;
            }
            Matcher k = KILLED.matcher(text);
            if (k.find()) {
                ooms.add(new OomKill(time, Integer.parseInt(k.group(1)), k.group(2), text));
                continue;
            }
            Matcher o = OOM_TASK.matcher(text);
            if (o.find()) {
                int pid = Integer.parseInt(o.group(2));
                if (ooms.stream().noneMatch(x -> x.pid() == pid)) {
                    ooms.add(new OomKill(time, pid, o.group(1), text));
                }
                continue;
            }
            if (text.contains("apparmor=\"DENIED\"")) {
                apparmor.add(denial(time, text, "profile"));
            } else if (AVC.matcher(text).find()) {
                avc.add(denial(time, text, "comm"));
            }
        }
        // the oom-kill summary line comes before "Killed process"; keep one entry per pid, the latter's
        List<OomKill> unique = new ArrayList<>();
        for (OomKill k : ooms) {
            boolean killed = k.line().contains("Killed process");
            unique.removeIf(u -> u.pid() == k.pid() && killed && !u.line().contains("Killed process"));
            if (unique.stream().noneMatch(u -> u.pid() == k.pid())) {
                unique.add(k);
            }
        }
        for (String raw : auditLog.split("\n")) {
            if (AVC.matcher(raw).find()) {
                avc.add(denial(auditTime(raw), raw, "comm"));
            } else if (raw.contains("apparmor=\"DENIED\"")) {
                apparmor.add(denial(auditTime(raw), raw, "profile"));
            }
        }
        return new KernelEvents(unique, apparmor, avc, problems, dmesgOk);
    }

    private static Optional<Instant> auditTime(String raw) {
        Matcher a = AUDIT_TIME.matcher(raw);
        return a.find() ? Optional.of(Instant.ofEpochSecond(Long.parseLong(a.group(1)))) : Optional.empty();
    }

    private static Denial denial(Optional<Instant> time, String text, String subjectField) {
        String subject = "";
        String operation = "";
        String target = "";
        boolean permissive = false;
        Matcher f = FIELD.matcher(text);
        String comm = "";
        while (f.find()) {
            String v = f.group(2).replace("\"", "");
            switch (f.group(1)) {
                case "profile" -> subject = subject.isEmpty() && subjectField.equals("profile") ? v : subject;
                case "comm" -> comm = v;
                case "operation" -> operation = v;
                case "name", "path" -> target = target.isEmpty() ? v : target;
                case "dest" -> target = target.isEmpty() ? "port " + v : target;
                case "permissive" -> permissive = v.equals("1");
                default -> {
                }
            }
        }
        Matcher a = AVC.matcher(text);
        if (a.find()) {
            operation = a.group(1).strip();
        }
        if (subject.isEmpty()) {
            subject = comm;
        }
        return new Denial(time, subject, operation, target, permissive, text.strip());
    }
}
