package acme.disk;

import dev.chatops.core.shell.ShellQuote;
import dev.chatops.core.spi.Cause;
import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Fix;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.Setting;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds filesystems that are fuller than a threshold. */
public final class DiskCheck implements Check {

    // a df -P line: filesystem, 1024-blocks, used, available, capacity, mount point (may hold blanks)
    private static final Pattern DF_LINE = Pattern.compile("\\S+\\s+\\d+\\s+\\d+\\s+\\d+\\s+(\\d{1,3})%\\s+(/.*)");

    public String name() {
        return "disk";
    }

    public String help() {
        return "Finds full filesystems. Usage: /disk <host>";
    }

    public List<Setting> settings() {
        return List.of(Setting.wholeNumber("threshold", 90, 1, 100,
                "Percent used at which a filesystem counts as full."));
    }

    public List<Probe> probes(CheckOptions options) {
        return List.of(Probe.of("df", "df -P"));               // fixed, read-only commands
    }

    public Diagnosis diagnose(Evidence evidence) {             // pure: no I/O, replayable
        String df = evidence.stdout("df");                     // empty when it did not run
        if (df.isBlank()) {
            return Diagnosis.inconclusive("df -P gave no output", List.of());
        }
        int threshold = evidence.settings().wholeNumber("threshold", 90);
        List<Cause> full = new ArrayList<>();
        int seen = 0;
        for (String line : df.lines().toList()) {
            Matcher m = DF_LINE.matcher(line);
            if (!m.matches()) {
                continue;                                      // the header, or a line df wrapped
            }
            seen++;
            int used = Integer.parseInt(m.group(1));
            String mount = m.group(2);
            if (used >= threshold) {
                full.add(Cause.of("disk-full", "A filesystem is full")
                        .confidence(used >= 100 ? 0.95 : 0.8)
                        .detail(mount + " is " + used + "% used; the threshold is " + threshold + "%")
                        .evidence("df -P", line)
                        .fix(Fix.command("du -xh " + ShellQuote.quote(mount) + " | sort -h | tail -20"))
                        .build());
            }
        }
        if (seen == 0) {
            return Diagnosis.inconclusive("df -P listed no filesystem this check could read", List.of());
        }
        return full.isEmpty()
                ? Diagnosis.healthy("no filesystem is " + threshold + "% used or more", List.of())
                : Diagnosis.causes(full.size() + " filesystem(s) at " + threshold + "% or more", full, List.of());
    }
}
