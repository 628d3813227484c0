package dev.chatops.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.history.History;
import dev.chatops.core.history.HistoryException;
import dev.chatops.core.spi.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteHistoryTest extends HistoryContract {

    @TempDir
    Path temp;

    private int stores;

    @Override
    History history() {
        return SqlStores.sqlite(temp.resolve("state" + stores++));
    }

    @Test
    void sqlite_firstOpen_makesAFolderAndFileOnlyTheBotsUserMayRead() throws IOException {
        Path dir = temp.resolve("fresh/state");
        SqlStores.sqlite(dir);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve(SqlStores.SQLITE_FILE))));
    }

    @Test
    void sqlite_reopened_keepsWhatWasSaved() {
        Path dir = temp.resolve("kept");
        SqlStores.sqlite(dir).saveReport(report("r1", "web-03", T0, Verdict.HEALTHY, "", ""));
        History again = SqlStores.sqlite(dir);
        assertEquals("web-03", again.report("r1").orElseThrow().host());
    }

    @Test
    void sqlite_twoStoresOnOneFile_seeEachOthersWrites() {
        Path dir = temp.resolve("shared");
        History a = SqlStores.sqlite(dir);
        History b = SqlStores.sqlite(dir);
        a.saveReport(report("r1", "web-03", T0, Verdict.HEALTHY, "", ""));
        assertEquals(1, b.reports("web-03", Instant.EPOCH, 10).size());
    }

    @Test
    void sqlite_folderThatCannotBeMade_isOneSentenceNamingIt() throws IOException {
        Path file = Files.writeString(temp.resolve("a-file"), "x");
        HistoryException e = assertThrows(HistoryException.class, () -> SqlStores.sqlite(file.resolve("state")));
        assertTrue(e.getMessage().contains(file.resolve("state").toString()) && e.getMessage().contains("state.dir"),
                e.getMessage());
    }
}
