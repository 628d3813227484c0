package dev.chatops.adapters.ssh;

import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import dev.chatops.core.shell.ShellQuote;
import dev.chatops.core.spi.Probe;
import dev.chatops.core.spi.ProbeResult;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The alternative to one channel per probe, kept for the measurements only: the whole batch as
 * one shell script on one exec channel. The probes run in parallel in the background, each into
 * its own files under {@code mktemp -d}; then the script prints each probe's exit status, sizes,
 * and its capped stdout and stderr behind a header line.
 */
final class ComposedExecBatch {

    private ComposedExecBatch() {
    }

    static Map<String, ProbeResult> run(Session session, List<Probe> probes, int timeoutSeconds) throws JSchException {
        StringBuilder script = new StringBuilder("d=$(mktemp -d) || exit 1\ntrap 'rm -rf \"$d\"' EXIT\n");
        for (int i = 0; i < probes.size(); i++) {
            script.append("{ timeout -k 1 ").append(timeoutSeconds).append(" sh -c ")
                    .append(ShellQuote.quote(probes.get(i).command())).append(" >\"$d/").append(i).append(".o\" 2>\"$d/")
                    .append(i).append(".e\" </dev/null; echo $? >\"$d/").append(i).append(".x\"; } &\n");
        }
        script.append("wait\n");
        for (int i = 0; i < probes.size(); i++) {
            int max = probes.get(i).maxBytes();
            script.append("printf '@@%s %s %s %s\\n' ").append(i).append(" \"$(cat \"$d/").append(i).append(".x\")\" ")
                    .append("\"$(wc -c <\"$d/").append(i).append(".o\")\" \"$(wc -c <\"$d/").append(i).append(".e\")\"; ")
                    .append("head -c ").append(max).append(" \"$d/").append(i).append(".o\"; ")
                    .append("head -c ").append(max).append(" \"$d/").append(i).append(".e\"\n");
        }
        long start = System.nanoTime();
        ExecChannel.Outcome outcome = ExecChannel.run(session, "exec sh -c " + ShellQuote.quote(script.toString()),
                64 * 1024 * 1024, start + (timeoutSeconds + 5) * 1_000_000_000L, 5000);
        long ms = (System.nanoTime() - start) / 1_000_000;
        return parse(outcome.stdout().getBytes(StandardCharsets.UTF_8), probes, ms);
    }

    private static Map<String, ProbeResult> parse(byte[] out, List<Probe> probes, long ms) {
        Map<String, ProbeResult> results = new LinkedHashMap<>();
        int pos = 0;
        for (Probe probe : probes) {
            int eol = indexOf(out, (byte) '\n', pos);
            String[] header = new String(out, pos, eol - pos, StandardCharsets.UTF_8).substring(2).split(" ");
            pos = eol + 1;
            int exit = Integer.parseInt(header[1].strip());
            long outSize = Long.parseLong(header[2].strip());
            long errSize = Long.parseLong(header[3].strip());
            int outKept = (int) Math.min(outSize, probe.maxBytes());
            int errKept = (int) Math.min(errSize, probe.maxBytes());
            String stdout = new String(out, pos, outKept, StandardCharsets.UTF_8);
            pos += outKept;
            String stderr = new String(out, pos, errKept, StandardCharsets.UTF_8);
            pos += errKept;
            results.put(probe.name(), new ProbeResult(probe.command(), exit, stdout, stderr, ms,
                    outSize > outKept || errSize > errKept));
        }
        return results;
    }

    private static int indexOf(byte[] b, byte value, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        throw new IllegalStateException("the composed batch's output ended early");
    }
}
