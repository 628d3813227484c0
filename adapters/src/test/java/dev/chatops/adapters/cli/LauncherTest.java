package dev.chatops.adapters.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script (src/main/sh/chatops-bot) builds the java command line it runs: a stand-in
 * for java prints the arguments it was given, one per line.
 */
class LauncherTest {

    @TempDir
    Path tmp;
    private Path dir;
    private Path launcher;
    private Path fakeJava;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createDirectories(tmp.resolve("bot home")).toRealPath();
        launcher = dir.resolve("chatops-bot");
        Files.copy(Path.of("src/main/sh/chatops-bot"), launcher);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("chatops-bot.jar"), "");
        fakeJava = tmp.resolve("java");
        Files.writeString(fakeJava, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
        Files.setPosixFilePermissions(fakeJava, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private List<String> run(Path script, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("JAVA_OPTS");
        pb.environment().put("JAVA", fakeJava.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out.lines().toList();
    }

    @Test
    void launcher_oneShotCommandWithoutArchive_quickCompilerAndTheJar() throws Exception {
        assertEquals(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", dir + "/chatops-bot.jar",
                "check", "nginx502", "web 03"), run(launcher, Map.of(), "check", "nginx502", "web 03"));
    }

    @Test
    void launcher_serveWithArchiveAndJavaOpts_archiveFirstJavaOptsLastNoQuickCompiler() throws Exception {
        Files.writeString(dir.resolve("chatops-bot.jsa"), "");

        assertEquals(List.of("-XX:SharedArchiveFile=" + dir + "/chatops-bot.jsa", "-Xshare:auto", "-Xmx192m",
                        "-Dx=*", "-jar", dir + "/chatops-bot.jar", "serve", "--config", "/config/bot.yaml"),
                run(launcher, Map.of("JAVA_OPTS", "-Xmx192m -Dx=*"), "serve", "--config", "/config/bot.yaml"));
    }

    @Test
    void launcher_sqliteLibraryBesideTheJar_theDriverIsPointedAtIt() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("sqlite-native"));
        Files.writeString(lib.resolve("libsqlitejdbc.so"), "");
        Files.setLastModifiedTime(dir.resolve("chatops-bot.jar"), FileTime.from(Instant.now().minusSeconds(60)));

        assertEquals(List.of("-Dorg.sqlite.lib.path=" + lib, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar",
                dir + "/chatops-bot.jar", "check", "nginx502", "web-03"), run(launcher, Map.of(), "check", "nginx502",
                "web-03"));
    }

    @Test
    void launcher_jarNewerThanTheSqliteLibrary_theDriverExtractsItsOwn() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("sqlite-native"));
        Files.writeString(lib.resolve("libsqlitejdbc.so"), "");
        Files.setLastModifiedTime(lib, FileTime.from(Instant.now().minusSeconds(60)));

        assertEquals(List.of("-jar", dir + "/chatops-bot.jar", "serve"), run(launcher, Map.of(), "serve"));
    }

    @Test
    void launcher_calledThroughSymlink_findsTheJarBesideItsRealPath() throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("chatops-link"), launcher);

        assertEquals(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", dir + "/chatops-bot.jar",
                "checks"), run(link, Map.of(), "checks"));
    }
}
