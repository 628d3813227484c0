package dev.chatops.checks.nginx502.parse.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerLogsTest {

    private static final String ERROR = "2026/11/30 10:00:01 [error] 29#29: *1 connect() failed (111: Connection refused)"
            + " while connecting to upstream, client: 127.0.0.1, server: localhost, request: \"GET /cart HTTP/1.1\", "
            + "upstream: \"http://127.0.0.1:8080/cart\", host: \"127.0.0.1\"";
    private static final String ACCESS = "127.0.0.1 - - [30/Nov/2026:10:00:01 +0000] \"GET /cart HTTP/1.1\" 502 157 \"-\" "
            + "\"curl/7.88.1\"";

    private static String json(String log, String stream) {
        return "{\"log\":\"" + log.replace("\\", "\\\\").replace("\"", "\\\"") + "\\n\",\"stream\":\"" + stream
                + "\",\"time\":\"2026-11-30T10:00:01.123456789Z\"}";
    }

    @Test
    void jsonFile_streams_stderrIsTheErrorLogStdoutTheAccessLog() {
        ContainerLogs.Streams s = ContainerLogs.jsonFile(json(ERROR, "stderr") + "\n" + json(ACCESS, "stdout") + "\n");

        assertEquals(List.of(ERROR), s.stderr());
        assertEquals(List.of(ACCESS), s.stdout());
    }

    @Test
    void jsonFile_splitEntries_joinedUntilTheNewline() {
        String a = "{\"log\":\"first half \",\"stream\":\"stdout\",\"time\":\"t\"}";
        String b = "{\"log\":\"second half\\n\",\"stream\":\"stdout\",\"time\":\"t\"}";

        assertEquals(List.of("first half second half"), ContainerLogs.jsonFile(a + "\n" + b).stdout());
    }

    @Test
    void jsonFile_cutFirstLine_skipped() {
        String tail = "d\\n\",\"stream\":\"stderr\",\"time\":\"t\"}\n" + json(ERROR, "stderr");

        assertEquals(List.of(ERROR), ContainerLogs.jsonFile(tail).stderr());
    }

    @Test
    void jsonFile_hostileEntries_skippedWhole() {
        String in = String.join("\n",
                // an escaped newline inside one entry cannot make a second log line
                "{\"log\":\"ok\\n" + ERROR.replace("\"", "\\\"") + "\\n\",\"stream\":\"stderr\",\"time\":\"t\"}",
                // keys the driver never writes, a duplicate key, a stream that is not one
                "{\"log\":\"x\\n\",\"stream\":\"stderr\",\"extra\":\"y\"}",
                "{\"log\":\"x\\n\",\"log\":\"y\\n\",\"stream\":\"stderr\"}",
                "{\"log\":\"x\\n\",\"stream\":\"stdin\"}",
                // bad escapes, a raw control character, a non-string value, trailing text, no closing brace
                "{\"log\":\"\\x41\\n\",\"stream\":\"stderr\"}",
                "{\"log\":\"\\u12G4\\n\",\"stream\":\"stderr\"}",
                "{\"log\":\"a\tb\\n\",\"stream\":\"stderr\"}",
                "{\"log\":1,\"stream\":\"stderr\"}",
                "{\"log\":\"x\\n\",\"stream\":\"stderr\"} trailing",
                "{\"log\":\"x\\n\",\"stream\":\"stderr\"",
                "{\"log\":\"x\\",
                "not json at all");

        ContainerLogs.Streams s = ContainerLogs.jsonFile(in);

        assertEquals(List.of(), s.stderr());
        assertEquals(List.of(), s.stdout());
    }

    @Test
    void jsonFile_escapes_decodedAsJsonSays() {
        String in = "{\"log\":\"a\\\"b\\\\c\\/d \\u00e9\\r\\n\",\"stream\":\"stderr\",\"time\":\"t\"}";

        assertEquals(List.of("a\"b\\c/d \u00e9"), ContainerLogs.jsonFile(in).stderr());
    }

    @Test
    void jsonFile_endlessPartialEntries_bounded() {
        String part = "{\"log\":\"" + "A".repeat(15000) + "\",\"stream\":\"stdout\",\"time\":\"t\"}";
        String in = (part + "\n").repeat(200) + json(ACCESS, "stdout");

        ContainerLogs.Streams s = ContainerLogs.jsonFile(in);

        // the run of partial entries is dropped, the next whole line is kept
        assertTrue(s.stdout().stream().allMatch(l -> l.length() <= ContainerLogs.MAX_LINE), "bounded lines");
        assertEquals(ACCESS, s.stdout().get(s.stdout().size() - 1));
    }

    @Test
    void jsonFile_hugeLine_skipped() {
        String huge = "{\"log\":\"" + "B".repeat(200_000) + "\\n\",\"stream\":\"stderr\",\"time\":\"t\"}";

        assertEquals(List.of(ERROR), ContainerLogs.jsonFile(huge + "\n" + json(ERROR, "stderr")).stderr());
    }

    @Test
    void cri_fullAndPartial_joined() {
        String in = String.join("\n",
                "2026-11-30T10:00:01.123456789Z stderr P 2026/11/30 10:00:01 [error] 29#29: *1 connect() ",
                "2026-11-30T10:00:01.123456789Z stderr F failed (111: Connection refused)",
                "2026-11-30T10:00:01.223456789+00:00 stdout F " + ACCESS);

        ContainerLogs.Streams s = ContainerLogs.cri(in);

        assertEquals(List.of("2026/11/30 10:00:01 [error] 29#29: *1 connect() failed (111: Connection refused)"),
                s.stderr());
        assertEquals(List.of(ACCESS), s.stdout());
    }

    @Test
    void cri_hostileLines_skipped() {
        String in = String.join("\n",
                "garbage stderr F text",
                "2026-11-30T10:00:01Z stdin F text",
                "2026-11-30T10:00:01Z stderr X text",
                "2026-11-30T10:00:01Z stderr F " + "C".repeat(100_000));

        ContainerLogs.Streams s = ContainerLogs.cri(in);

        assertEquals(List.of(), s.stderr());
        assertEquals(List.of(), s.stdout());
    }
}
