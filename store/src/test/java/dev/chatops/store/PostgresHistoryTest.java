package dev.chatops.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatops.core.history.History;
import dev.chatops.core.history.HistoryException;
import dev.chatops.core.spi.Verdict;
import dev.chatops.store.testing.RealPostgres;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The store contract against a real PostgreSQL server started for this class. */
class PostgresHistoryTest extends HistoryContract {

    private static RealPostgres pg;

    @BeforeAll
    static void startServer() throws Exception {
        pg = RealPostgres.start();
    }

    @AfterAll
    static void stopServer() {
        if (pg != null) {
            pg.close();
        }
    }

    @Override
    History history() {
        return SqlStores.postgres(pg.newDatabase(), Optional.of(pg.user()), Optional.of(pg.password()));
    }

    @Test
    void postgres_reopened_keepsWhatWasSavedAndMigratesOnce() {
        String url = pg.newDatabase();
        SqlStores.postgres(url, Optional.of(pg.user()), Optional.of(pg.password()))
                .saveReport(report("r1", "web-03", T0, Verdict.HEALTHY, "", ""));
        History again = SqlStores.postgres(url, Optional.of(pg.user()), Optional.of(pg.password()));
        assertEquals(1, again.reports("web-03", Instant.EPOCH, 10).size());
    }

    @Test
    void postgres_wrongPassword_isRefusedWithoutShowingIt() {
        String wrong = "not-the-password-1234";
        HistoryException e = assertThrows(HistoryException.class,
                () -> SqlStores.postgres(pg.newDatabase() + "?sslmode=disable", Optional.of(pg.user()),
                        Optional.of(wrong)));
        assertFalse(e.getMessage().contains(wrong), e.getMessage());
        assertFalse(e.getMessage().contains("sslmode"), "the URL's parameters stay out of messages: " + e.getMessage());
        assertTrue(e.getMessage().contains("127.0.0.1:" + pg.port()), e.getMessage());
    }
}
