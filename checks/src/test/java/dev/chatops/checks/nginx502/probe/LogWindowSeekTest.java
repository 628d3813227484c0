package dev.chatops.checks.nginx502.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The log window's start is found from the end of the log (logwindow.sh, run with /bin/sh): the window
 * keeps exactly the lines a read of the last 4 MiB keeps, while only the window (and one block before
 * it) is read.
 */
class LogWindowSeekTest {

    private static final LocalDateTime NOW = LocalDateTime.of(2026, 11, 30, 12, 0, 0);
    private static final LocalDateTime CUT = NOW.minusSeconds(900);
    private static final DateTimeFormatter ERROR = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss");
    private static final DateTimeFormatter ACCESS = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z",
            Locale.ROOT);
    private static final DateTimeFormatter KEY = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final DateTimeFormatter SYSLOG = DateTimeFormatter.ofPattern("MMM d HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter FPM = DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss", Locale.ROOT);
    private static final long CAP = Nginx502Probes.LOG_BYTES;

    @TempDir
    Path dir;

    @Test
    void errorLog_windowIsTheSameAsAFullReadAndOnlyTheWindowIsRead() throws Exception {
        Path log = dir.resolve("error.log");
        // 3 MiB of old upstream errors a day ago, then the window's own lines
        write(log, 0, t -> t.format(ERROR) + " [error] 11#11: *5 connect() failed (111: Connection refused) while "
                + "connecting to upstream, client: 10.0.0.1, server: shop, request: \"GET /cart HTTP/1.1\", upstream: "
                + "\"http://127.0.0.1:8080/cart\"", NOW.minusDays(1), 3 * 1024 * 1024, 2,
                t -> t.format(ERROR) + " [error] 11#11: *9 upstream timed out (110: Connection timed out) while reading "
                        + "response header from upstream", 600);
        Run seek = run(log, "error", CUT.format(ERROR), true);
        Run full = run(log, "error", CUT.format(ERROR), false);
        assertEquals(full.window(), seek.window());
        assertEquals(full.counts(), seek.counts());
        assertTrue(seek.window().size() > 100, seek.out);
        long size = Files.size(log);
        // the window is the last ~70 KiB: read from the 64 KiB block it starts in, not 4 MiB
        assertTrue(size - seek.from <= 3 * 65536, "read " + (size - seek.from) + " bytes of " + size);
        assertTrue(size - full.from >= 3 * 1024 * 1024, "a full read starts 4 MiB from the end");
    }

    @Test
    void accessLog_busyLogWithEverythingInTheWindow_readsTheLast4MiBAsBefore() throws Exception {
        Path log = dir.resolve("access.log");
        write(log, 0, t -> "", NOW, 0, 0, t -> "10.0.0.1 - - [" + t.atZone(java.time.ZoneOffset.UTC).format(ACCESS)
                + "] \"GET /x HTTP/1.1\" " + (t.getSecond() % 3 == 0 ? "502" : "200") + " 12 \"-\" \"curl\"",
                70_000);
        Run seek = run(log, "access", CUT.format(KEY), true);
        Run full = run(log, "access", CUT.format(KEY), false);
        assertEquals(full.out, seek.out, "the same bytes, the same output");
        assertEquals(Files.size(log) - CAP, seek.from);
    }

    @Test
    void accessLog_quietHugeLog_readsOnlyTheEnd() throws Exception {
        Path log = dir.resolve("access.log");
        // 256 MiB of nothing (a sparse file), then old requests and a few recent ones
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
            f.setLength(256L * 1024 * 1024);
        }
        Function<LocalDateTime, String> line = t -> "10.0.0.1 - - [" + t.atZone(java.time.ZoneOffset.UTC).format(ACCESS)
                + "] \"GET /x HTTP/1.1\" 502 12 \"-\" \"curl\"";
        write(log, Files.size(log), line, NOW.minusDays(3), 5 * 1024 * 1024, 1, line, 30);
        Run seek = run(log, "access", CUT.format(KEY), true);
        Run full = run(log, "access", CUT.format(KEY), false);
        assertEquals(full.window(), seek.window());
        assertEquals(full.counts(), seek.counts());
        assertTrue(seek.out.contains("candidates=30 "), seek.out);
        // the last block (the end of the file may cut it short) and the one before it, at most
        assertTrue(Files.size(log) - seek.from <= 2 * 65536, "read " + (Files.size(log) - seek.from));
    }

    @Test
    void syslogAndPhpFpmLogs_startAtTheirWindow() throws Exception {
        Path syslog = dir.resolve("syslog");
        write(syslog, 0, t -> t.format(SYSLOG) + " web-03 CRON[123]: (root) CMD (run-parts /etc/cron.hourly)",
                NOW.minusHours(12), 2 * 1024 * 1024, 1,
                t -> t.format(SYSLOG) + " web-03 nginx: " + t.format(ERROR) + " [error] 11#11: upstream timed out", 300);
        Run s = run(syslog, "syslog", CUT.format(KEY), true);
        assertEquals(300, s.read.lines().filter(l -> l.contains(" nginx: ")).count(), s.out);
        assertTrue(Files.size(syslog) - s.from <= 2 * 65536, "read " + (Files.size(syslog) - s.from));

        Path fpm = dir.resolve("php-fpm.log");
        write(fpm, 0, t -> "[" + t.format(FPM) + "] NOTICE: [pool www] child 77 started", NOW.minusDays(1),
                2 * 1024 * 1024, 1, t -> "[" + t.format(FPM) + "] WARNING: [pool www] server reached pm.max_children", 200);
        Run f = run(fpm, "fpm", CUT.format(KEY), true);
        assertEquals(200, f.read.lines().filter(l -> l.contains("max_children")).count());
        assertTrue(Files.size(fpm) - f.from <= 2 * 65536, "read " + (Files.size(fpm) - f.from));
    }

    @Test
    void linesWithoutTimestamps_neverStopTheSeek_soTheWholeCapIsRead() throws Exception {
        Path log = dir.resolve("error.log");
        write(log, 0, t -> "no time here", NOW, 5 * 1024 * 1024, 0, t -> "", 0);
        Run seek = run(log, "error", CUT.format(ERROR), true);
        assertEquals(Files.size(log) - CAP, seek.from);
    }

    /** Old lines every {@code step} seconds until {@code oldBytes} are written, then {@code recent} in the window. */
    private static void write(Path log, long at, Function<LocalDateTime, String> old, LocalDateTime from, long oldBytes,
                              int step, Function<LocalDateTime, String> fresh, int recent) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
            f.seek(at);
            StringBuilder sb = new StringBuilder();
            LocalDateTime t = from;
            long written = 0;
            while (written < oldBytes) {
                String l = old.apply(t) + "\n";
                sb.append(l);
                written += l.length();
                t = t.plusSeconds(step);
            }
            for (int i = 0; i < recent; i++) {
                sb.append(fresh.apply(CUT.plusSeconds(1 + (long) i * 899 / Math.max(1, recent)))).append('\n');
            }
            f.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        }
    }

    private record Run(String out, long from, String read) {
        /** The lines the window kept, up to its summary line (whose first= names where the read began). */
        List<String> window() {
            List<String> w = new ArrayList<>();
            for (String l : out.lines().toList()) {
                if (l.startsWith("@@nginx502 log-window")) {
                    break;
                }
                w.add(l);
            }
            return w;
        }

        /** total=, kept= and candidates= of the summary. */
        List<String> counts() {
            return out.lines().filter(l -> l.startsWith("@@nginx502 log-window"))
                    .flatMap(l -> Arrays.stream(l.split(" ")))
                    .filter(w -> w.startsWith("total=") || w.startsWith("kept=") || w.startsWith("candidates="))
                    .toList();
        }
    }

    /** The real script, with /bin/sh: where the seek starts, the bytes it reads, and the window awk's output. */
    private static Run run(Path log, String format, String cut, boolean seek) throws Exception {
        String window = format.equals("error") || format.equals("access") ? "window_" + format : "cat >/dev/null";
        String driver = "LOGCAP=" + CAP + "\ncut_err=\"$2\"\ncut_acc=\"$2\"\nsize=$(wc -c < \"$1\")\n"
                + (seek ? "from=$(seek_start \"$1\" \"$size\" \"$3\" \"$2\")\n"
                : "from=0\n[ \"$size\" -gt \"$LOGCAP\" ] && from=$((size - LOGCAP))\n")
                + "echo \"@@from $from\"\n"
                + "seek_read \"$1\" \"$size\" \"$from\" > \"$1.read\"\n"
                + window + " < \"$1.read\"\n";
        String script = Scripts.load("logwindow.sh", Map.of()) + driver;
        Process p = new ProcessBuilder("/bin/sh", "-c", script, "sh", log.toString(), cut, format)
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        String first = out.lines().findFirst().orElse("");
        assertTrue(first.startsWith("@@from "), out);
        Path read = Path.of(log + ".read");
        String text = new String(Files.readAllBytes(read), StandardCharsets.ISO_8859_1);
        long from = Long.parseLong(first.substring(7).strip());
        assertEquals(Files.size(log) - from, Files.size(read), "seek_read reads from where seek_start says");
        Files.delete(read);
        return new Run(out.substring(out.indexOf('\n') + 1), from, text);
    }
}
