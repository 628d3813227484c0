package dev.chatops.nginx.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared functions, run by a real /bin/sh. */
class NginxMastersTest {

    @TempDir
    Path dir;

    private String sh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/sh", "-c", NginxMasters.functions() + script)
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the script did not finish");
        }
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void functions_read_runAndPrintNothing() throws Exception {
        assertEquals("", sh(""));
    }

    @Test
    void masterArgs_hostileCommandLine_takenAsWordsNeverGlobbedOrRun() throws Exception {
        Files.writeString(dir.resolve("a.conf"), "");
        String out = sh("master_args '/usr/sbin/nginx -g x -c *.conf -p$(touch ran) -c' && "
                + "printf '%s|%s|%s\\n' \"$arg0\" \"$conf\" \"$prefix\"; [ -e ran ] && echo ran; :");
        assertEquals("/usr/sbin/nginx|*.conf|$(touch\n", out);
    }

    @Test
    void plain_unusualOrRelativePaths_refused() throws Exception {
        List<String> paths = List.of("/etc/nginx/nginx.conf", "/opt/x/sbin/nginx", "etc/nginx", "/etc/../x", "/etc//x",
                "/etc/./x", "/a b", "/a$b", "/a;b", "/a\\nb", "/a*");
        StringBuilder script = new StringBuilder();
        for (String p : paths) {
            script.append("plain '").append(p.replace("'", "'\\''")).append("' && echo yes || echo no\n");
        }
        assertEquals("yes\nyes\nno\nno\nno\nno\nno\nno\nno\nno\nno\n", sh(script.toString()));
    }

    @Test
    void vetArgs_configOthersCanWrite_refused() throws Exception {
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, "events {}\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-rw-rw-"));
        String out = sh("prefix='' conf='" + conf + "' cprefix=''; vet_args; echo \"refused=$refused\"");
        assertEquals("refused=-c\n", out);
    }

    @Test
    void vetArgs_rootOwnedRelativeConf_keptCanonicalUnderThePrefix() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "only root's files pass: run as root");
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, "events {}\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r--r--"));
        String out = sh("prefix='" + dir + "/.' conf=nginx.conf cprefix=''; vet_args; "
                + "echo \"refused=$refused prefix=$prefix conf=$conf\"");
        assertEquals("refused= prefix=" + dir.toRealPath() + " conf=" + conf.toRealPath() + "\n", out);
    }

    @Test
    void configFile_relativeConf_underThePrefix() throws Exception {
        assertEquals("/srv/ng/ /srv/ng/conf/x.conf\n",
                sh("prefix=/srv/ng conf='' cprefix=/usr/share/nginx cconf=conf/x.conf; config_file; echo \"$p $c\""));
        assertEquals("/usr/local/nginx/ /usr/local/nginx/conf/nginx.conf\n",
                sh("prefix='' conf='' cprefix='' cconf=''; config_file; echo \"$p $c\""));
    }
}
