package dev.chatops.core.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronExpressionTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static Instant next(String cron, String after, ZoneId zone) {
        return CronExpression.parse(cron).next(Instant.parse(after), zone);
    }

    private static List<Instant> runs(String cron, String after, ZoneId zone, int n) {
        CronExpression c = CronExpression.parse(cron);
        List<Instant> out = new ArrayList<>();
        Instant t = Instant.parse(after);
        for (int i = 0; i < n; i++) {
            t = c.next(t, zone);
            out.add(t);
        }
        return out;
    }

    @Test
    void next_weekdayMorning_skipsWeekendAndFollowsOffsetChange() {
        // Friday 27 March 2026 08:00 CET; the weekend holds the spring-forward change
        assertEquals(List.of(Instant.parse("2026-03-27T07:00:00Z"), Instant.parse("2026-03-30T06:00:00Z"),
                        Instant.parse("2026-03-31T06:00:00Z")),
                runs("0 8 * * MON-FRI", "2026-03-26T07:00:00Z", BERLIN, 3));
    }

    @Test
    void next_isStrictlyAfter() {
        assertEquals(Instant.parse("2026-03-31T06:00:00Z"), next("0 8 * * *", "2026-03-30T06:00:00Z", BERLIN));
        assertEquals(Instant.parse("2026-03-30T06:00:00Z"), next("0 8 * * *", "2026-03-30T05:59:59.999Z", BERLIN));
    }

    @Test
    void next_springForwardGap_runsOnceAtEndOfGap() {
        // 29 March 2026: 02:00 CET jumps to 03:00 CEST, so 02:30 does not exist that night
        assertEquals(List.of(Instant.parse("2026-03-29T01:00:00Z"), Instant.parse("2026-03-30T00:30:00Z")),
                runs("30 2 * * *", "2026-03-28T12:00:00Z", BERLIN, 2));
    }

    @Test
    void next_springForwardGap_severalTimesInGap_runOnce() {
        assertEquals(List.of(Instant.parse("2026-03-29T01:00:00Z"), Instant.parse("2026-03-30T00:00:00Z")),
                runs("*/15 2 * * *", "2026-03-28T12:00:00Z", BERLIN, 2));
    }

    @Test
    void next_springForward_hourly_noRunInSkippedHour() {
        // 01:00 CET, 03:00 CEST (right after the gap), 04:00 CEST
        assertEquals(List.of(Instant.parse("2026-03-29T00:00:00Z"), Instant.parse("2026-03-29T01:00:00Z"),
                        Instant.parse("2026-03-29T02:00:00Z")),
                runs("0 * * * *", "2026-03-28T23:30:00Z", BERLIN, 3));
    }

    @Test
    void next_fallBackOverlap_runsOnceAtFirstOccurrence() {
        // 25 October 2026: 03:00 CEST falls back to 02:00 CET, so 02:30 happens twice
        assertEquals(List.of(Instant.parse("2026-10-25T00:30:00Z"), Instant.parse("2026-10-26T01:30:00Z")),
                runs("30 2 * * *", "2026-10-24T12:00:00Z", BERLIN, 2));
    }

    @Test
    void next_fallBack_hourly_doesNotRepeatWallClockHour() {
        // 02:00 CEST, then 03:00 CET: the second 02:00 (CET) is the same wall-clock time and is not run again
        assertEquals(List.of(Instant.parse("2026-10-25T00:00:00Z"), Instant.parse("2026-10-25T02:00:00Z")),
                runs("0 * * * *", "2026-10-24T23:30:00Z", BERLIN, 2));
    }

    @Test
    void next_listsRangesStepsAndNames() {
        CronExpression c = CronExpression.parse("5,35 */6 1-7 jan,JUL *");
        assertEquals(Instant.parse("2026-07-01T00:05:00Z"), c.next(Instant.parse("2026-01-07T18:35:00Z"), ZoneOffset.UTC));
        assertEquals(Instant.parse("2026-01-01T06:35:00Z"), c.next(Instant.parse("2026-01-01T06:05:00Z"), ZoneOffset.UTC));
        assertEquals(Instant.parse("2026-01-01T12:05:00Z"), c.next(Instant.parse("2026-01-01T06:35:00Z"), ZoneOffset.UTC));
    }

    @Test
    void next_bothDayFieldsRestricted_eitherMatches() {
        // the 13th, or any Friday (classic cron)
        assertEquals(List.of(Instant.parse("2026-02-06T00:00:00Z"), Instant.parse("2026-02-13T00:00:00Z"),
                        Instant.parse("2026-02-20T00:00:00Z")),
                runs("0 0 13 * FRI", "2026-02-01T00:00:00Z", ZoneOffset.UTC, 3));
        // with one day field starred, only the other counts
        assertEquals(Instant.parse("2026-02-13T00:00:00Z"), next("0 0 13 * *", "2026-02-01T00:00:00Z", ZoneOffset.UTC));
        assertEquals(Instant.parse("2026-02-03T00:00:00Z"), next("0 0 */2 * *", "2026-02-01T00:00:00Z", ZoneOffset.UTC));
    }

    @Test
    void next_sundayAsSevenOrZero() {
        Instant sunday = Instant.parse("2026-03-01T12:00:00Z");
        assertEquals(sunday, next("0 12 * * 7", "2026-02-27T00:00:00Z", ZoneOffset.UTC));
        assertEquals(sunday, next("0 12 * * 0", "2026-02-27T00:00:00Z", ZoneOffset.UTC));
        assertEquals(sunday, next("0 12 * * SUN", "2026-02-27T00:00:00Z", ZoneOffset.UTC));
    }

    @Test
    void next_leapDay_found() {
        assertEquals(Instant.parse("2028-02-29T00:00:00Z"), next("0 0 29 2 *", "2026-01-01T00:00:00Z", ZoneOffset.UTC));
    }

    @Test
    void matches_wallClockMinute() {
        CronExpression c = CronExpression.parse("0 8 * * MON-FRI");
        assertTrue(c.matches(LocalDateTime.parse("2026-03-27T08:00")));
        assertFalse(c.matches(LocalDateTime.parse("2026-03-28T08:00")));
        assertFalse(c.matches(LocalDateTime.parse("2026-03-27T08:01")));
    }

    @Test
    void parse_wrongFieldCount_saysFiveFields() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CronExpression.parse("0 8 * *"));
        assertTrue(e.getMessage().contains("five fields (minute hour day-of-month month day-of-week)"), e.getMessage());
    }

    @Test
    void parse_badDayName_namesFieldPartAndAllowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CronExpression.parse("0 8 * * MON-FRX"));
        assertEquals("`0 8 * * MON-FRX` is not a valid cron expression: in the day-of-week field, `FRX` is not a value; "
                + "allowed: 0-7 (0 and 7 are Sunday) or SUN-SAT, ranges like 1-5, lists like 1,3,5, steps like */2",
                e.getMessage());
    }

    @Test
    void parse_outOfRange_refused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CronExpression.parse("60 * * * *")).getMessage()
                .contains("in the minute field, `60` is out of range; allowed: 0-59"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CronExpression.parse("0 24 * * *")).getMessage()
                .contains("hour field"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CronExpression.parse("0 0 0 * *")).getMessage()
                .contains("day-of-month field"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CronExpression.parse("0 0 * 13 *")).getMessage()
                .contains("month field"));
    }

    @Test
    void parse_backwardsRangeZeroStepEmptyItem_refused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CronExpression.parse("0 8 * * FRI-MON"))
                .getMessage().contains("runs backwards"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CronExpression.parse("*/0 * * * *"))
                .getMessage().contains("step of 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CronExpression.parse("1,,2 * * * *"))
                .getMessage().contains("empty list item"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CronExpression.parse("0 8 * * MON;rm"))
                .getMessage().contains("day-of-week field"));
    }

    @Test
    void parse_dayThatNeverComes_refused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CronExpression.parse("0 0 31 2 *"));
        assertTrue(e.getMessage().contains("never runs"), e.getMessage());
    }

    @Test
    void toString_normalisesSpaces() {
        assertEquals("0 8 * * MON-FRI", CronExpression.parse("  0  8 *\t* MON-FRI ").toString());
    }
}
