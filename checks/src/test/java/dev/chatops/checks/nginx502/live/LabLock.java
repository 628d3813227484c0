package dev.chatops.checks.nginx502.live;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;

/**
 * {@code flock /tmp/nginx-lab.lock}, held by a child {@code flock} process until closed: only one nginx lab
 * runs on a machine at a time (flock(2) locks, which Java's own file locks do not see).
 */
final class LabLock implements AutoCloseable {

    private final Process holder;

    private LabLock(Process holder) {
        this.holder = holder;
    }

    static LabLock acquire(boolean required) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("flock", "-w", "300", "/tmp/nginx-lab.lock", "sh", "-c", "echo locked; exec cat")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            if (required) {
                fail("flock(1) is not installed: " + e.getMessage());
            }
            Assumptions.abort("flock(1) is not installed");
            throw e;
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        if (!"locked".equals(first)) {
            p.destroy();
            if (required) {
                fail("another nginx lab held /tmp/nginx-lab.lock for 5 minutes");
            }
            Assumptions.abort("another nginx lab holds /tmp/nginx-lab.lock");
        }
        return new LabLock(p);
    }

    @Override
    public void close() throws IOException {
        holder.getOutputStream().close();
        try {
            holder.waitFor();
        } catch (InterruptedException e) {
            holder.destroy();
            Thread.currentThread().interrupt();
        }
    }
}
