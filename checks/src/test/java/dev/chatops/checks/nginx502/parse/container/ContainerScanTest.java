package dev.chatops.checks.nginx502.parse.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.nginx.log.LogExcerpt;
import dev.chatops.nginx.log.LogWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ContainerScanTest {

    private static final String ID = "fccf20aa24a92d0a4eecd8944d0424e05b39a3bff4230a7e34beade527f2d6eb";
    private static final LogWindow WINDOW = new LogWindow(Instant.parse("2026-11-30T10:05:00Z"), ZoneOffset.UTC,
            Duration.ofMinutes(15));

    private static String helper(String name, String dumpLines, String logLines) {
        return "@@nginx502 containers version=1\n"
                + "@@nginx502 container pid=4242 runtime=docker id=" + ID + " name=" + name
                + " project= service= namespace= pod= container=\n"
                + "@@nginx502 container-dump\n" + dumpLines
                + "@@nginx502 container-dump-exit code=0\n"
                + "@@nginx502 container-log format=json-file path=/var/lib/docker/containers/" + ID + "/" + ID
                + "-json.log\n" + logLines
                + "@@nginx502 containers-end count=1\n";
    }

    @Test
    void parse_master_containerDumpAndLogs() {
        String out = helper("shop-web-1",
                "|# configuration file /etc/nginx/nginx.conf:\n|events {}\n",
                "|{\"log\":\"2026/11/30 10:00:01 [error] 29#29: *1 connect() failed (111: Connection refused) while "
                        + "connecting to upstream, client: 127.0.0.1, server: localhost, request: \\\"GET / HTTP/1.1\\\", "
                        + "upstream: \\\"http://127.0.0.1:8080/\\\", host: \\\"x\\\"\\n\",\"stream\":\"stderr\","
                        + "\"time\":\"2026-11-30T10:00:01Z\"}\n");

        ContainerScan.Master m = ContainerScan.parse(out, WINDOW).masters().get(4242);

        assertEquals("docker container shop-web-1", m.container().label());
        assertEquals("docker restart shop-web-1", m.container().restartCommand());
        assertEquals("# configuration file /etc/nginx/nginx.conf:\nevents {}\n", m.dump());
        assertEquals(0, m.dumpExit());
        LogExcerpt err = m.logs().stream().filter(l -> l.kind() == LogExcerpt.Kind.ERROR).findFirst().orElseThrow();
        assertEquals(1, err.lines().size(), err.toString());
        assertTrue(err.path().endsWith("-json.log (stderr)"), err.path());
    }

    @Test
    void parse_containerWritesAMarker_staysContent() {
        // a line of the container's config or log is printed behind "|": it cannot open a section
        String out = helper("shop-web-1", "|@@nginx502 container pid=1 runtime=docker id=" + ID + " name=evil\n",
                "|@@nginx502 container-log format=cri path=/etc/shadow\n");

        ContainerScan scan = ContainerScan.parse(out, WINDOW);

        assertEquals(1, scan.masters().size());
        assertEquals("shop-web-1", scan.masters().get(4242).container().name());
        assertTrue(scan.masters().get(4242).logPath().startsWith("/var/lib/docker/containers/"));
    }

    @Test
    void parse_unquotedLines_ignored() {
        String out = helper("shop-web-1", "no bar here\n", "{\"log\":\"x\\n\",\"stream\":\"stderr\",\"time\":\"t\"}\n");

        ContainerScan.Master m = ContainerScan.parse(out, WINDOW).masters().get(4242);

        assertEquals("", m.dump());
        assertTrue(m.logs().stream().allMatch(l -> l.lines().isEmpty()));
    }

    @Test
    void container_hostileName_fallsBackToTheShortId() {
        Container c = new Container("docker", ID, "x;rm", "", "", "", "", "");

        assertEquals("", c.name());
        assertEquals("docker restart fccf20aa24a9", c.restartCommand());
        assertEquals("container fccf20aa24a9", c.label());
    }

    @Test
    void container_badIdAndRuntime_empty() {
        Container c = new Container("docker;x", "ABC", "-rf", "", "", "", "", "");

        assertEquals("", c.runtime());
        assertEquals("", c.id());
        assertEquals("", c.name());
        assertEquals("docker restart <CONTAINER>", c.restartCommand());
    }

    @Test
    void container_compose_restartsTheService() {
        Container c = new Container("docker", ID, "shop-web-1", "shop", "web", "", "", "");

        assertEquals("docker compose -p shop restart web", c.restartCommand());
        assertEquals("docker exec shop-web-1 nginx -s reload", c.nginxCommand("-s reload"));
    }

    @Test
    void container_kubernetes_namesThePod() {
        Container c = new Container("kubepods", ID, "", "", "", "shop", "web-7d9f-abcde", "nginx");

        assertEquals("pod shop/web-7d9f-abcde (container nginx)", c.label());
        assertTrue(c.restartCommand().startsWith("kubectl -n shop delete pod web-7d9f-abcde"), c.restartCommand());
        assertEquals("kubectl -n shop exec web-7d9f-abcde -c nginx -- nginx -t", c.nginxCommand("-t"));
    }

    @Test
    void parse_links_onlyStdoutAndStderrReachTheRuntimeLog() {
        String out = helper("shop-web-1", "", "") + "";
        out = out.replace("@@nginx502 containers-end", "@@nginx502 container-links\n"
                + "|/var/log/nginx/error.log /dev/stderr\n"
                + "|/var/log/nginx/access.log \n"
                + "|/var/log/nginx/other.log /etc/shadow\n"
                + "|/var/log/nginx/x.log /dev/stdout; rm -rf /\n"
                + "@@nginx502 containers-end");

        ContainerScan.Master m = ContainerScan.parse(out, WINDOW).masters().get(4242);

        assertTrue(m.toRuntimeLog("/var/log/nginx/error.log"));
        assertTrue(m.toRuntimeLog("/dev/stdout"));
        assertFalse(m.toRuntimeLog("/var/log/nginx/access.log"), "a plain file inside the container");
        assertFalse(m.toRuntimeLog("/var/log/nginx/other.log"));
        assertFalse(m.toRuntimeLog("/var/log/nginx/x.log"), "a line that is not path and target is dropped");
    }

    @Test
    void parse_moreThanEight_flagged() {
        assertTrue(ContainerScan.parse("@@nginx502 containers version=1\n@@nginx502 more-containers\n", WINDOW).more());
        assertFalse(ContainerScan.parse("@@nginx502 containers version=1\n", WINDOW).more());
    }
}
