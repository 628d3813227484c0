package dev.chatops.checks.nginx502.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatops.nginx.config.NginxConfig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NginxInstanceTest {

    private static NginxInstance started(String binary, String prefixArg, String confArg) {
        return new NginxInstance(812, "root", Optional.of("www-data"), binary, prefixArg, confArg, "/srv/nginx",
                "/srv/nginx/nginx.conf", "nginx/1.22.1", NginxConfig.empty(), ConfigTest.unknown(), false, List.of(),
                NginxInstance.VERIFIED, List.of());
    }

    @Test
    void commands_plainPaths_asTheMasterWasStarted() {
        NginxInstance n = started("/usr/sbin/nginx", "/srv/nginx", "conf/nginx.conf");
        assertEquals("sudo /usr/sbin/nginx -p /srv/nginx -c conf/nginx.conf -s reload", n.reloadCommand());
        assertEquals("sudo /usr/sbin/nginx -p /srv/nginx -c conf/nginx.conf -t", n.testCommand());
        assertEquals("sudo /usr/sbin/nginx -p /srv/nginx -c conf/nginx.conf -s reopen", n.reopenCommand());
        assertEquals("sudo nginx -s reload", started("", "", "").reloadCommand());
    }

    @Test
    void commands_hostileArguments_becomePlaceholders() {
        // binary, -p and -c come from the host: shell syntax, options and newlines never reach the command
        NginxInstance n = started("/usr/sbin/nginx;id", "/srv/x -s reload $(id)", "-g daemon off;\nrm -rf /");
        assertEquals("sudo <PATH> -p <PATH> -c <PATH> -s reload", n.reloadCommand());
        assertEquals("sudo <PATH> -p <PATH> -c <PATH> -t", n.testCommand());
        // a -c holding " -s reload" is not rewritten into another action
        assertEquals("sudo /usr/sbin/nginx -c <PATH> -t", started("/usr/sbin/nginx", "", "a -s reload").testCommand());
        assertEquals("sudo /usr/sbin/nginx -c <PATH> -t", started("/usr/sbin/nginx", "", "../../etc/shadow").testCommand());
    }
}
