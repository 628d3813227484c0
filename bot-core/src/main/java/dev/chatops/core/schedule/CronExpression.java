package dev.chatops.core.schedule;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneRules;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A five-field cron expression: minute, hour, day of month, month, day of week. Each field takes
 * {@code *}, a value, a range {@code a-b}, a step {@code *}{@code /n}, {@code a-b/n} or {@code a/n},
 * and lists of those separated by commas. Months may be written JAN-DEC, days of the week SUN-SAT
 * (0 and 7 are both Sunday). As in classic cron, when both day fields are restricted a day matches
 * if either does.
 *
 * <p>Times are wall-clock times in the schedule's zone. When a daylight-saving change skips a
 * time, the run happens at the first instant after the gap, once; when a change repeats an hour,
 * each wall-clock time runs once, at its first occurrence.
 */
public final class CronExpression {

    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP",
            "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    /** Dates and weekdays repeat every 28 years (century years aside): far enough to find any run. */
    private static final int SEARCH_DAYS = 28 * 366 + 1;

    private enum Field {
        MINUTE("minute", 0, 59, "0-59"),
        HOUR("hour", 0, 23, "0-23"),
        DAY_OF_MONTH("day-of-month", 1, 31, "1-31"),
        MONTH("month", 1, 12, "1-12 or JAN-DEC"),
        DAY_OF_WEEK("day-of-week", 0, 7, "0-7 (0 and 7 are Sunday) or SUN-SAT");

        final String label;
        final int min;
        final int max;
        final String allowed;

        Field(String label, int min, int max, String allowed) {
            this.label = label;
            this.min = min;
            this.max = max;
            this.allowed = allowed;
        }
    }

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    /** Classic cron: a day field starting with '*' does not widen the other one. */
    private final boolean eitherDayStarred;

    private CronExpression(String text, BitSet[] fields, boolean eitherDayStarred) {
        this.text = text;
        this.minutes = fields[0];
        this.hours = fields[1];
        this.daysOfMonth = fields[2];
        this.months = fields[3];
        this.daysOfWeek = fields[4];
        this.eitherDayStarred = eitherDayStarred;
    }

    /**
     * @throws IllegalArgumentException with a sentence naming the field, the part that is wrong and
     *                                  what is allowed there
     */
    public static CronExpression parse(String text) {
        requireNonNull(text, "text is null");
        String trimmed = text.trim();
        String[] parts = trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
        if (parts.length != 5) {
            throw new IllegalArgumentException("`" + trimmed + "` is not a cron expression: it needs five fields "
                    + "(minute hour day-of-month month day-of-week), e.g. \"0 8 * * MON-FRI\"");
        }
        Field[] order = Field.values();
        BitSet[] fields = new BitSet[5];
        for (int i = 0; i < 5; i++) {
            fields[i] = field(trimmed, order[i], parts[i]);
        }
        if (fields[4].get(7)) {
            fields[4].clear(7);
            fields[4].set(0);
        }
        boolean eitherStarred = parts[2].startsWith("*") || parts[4].startsWith("*");
        String normal = String.join(" ", parts);
        if (eitherStarred && !parts[2].startsWith("*") && !possibleDay(fields[2], fields[3])) {
            throw new IllegalArgumentException("`" + normal + "` never runs: none of its months has day "
                    + fields[2].stream().mapToObj(Integer::toString).reduce((a, b) -> a + "," + b).orElse("")
                    + "; check the day-of-month and month fields");
        }
        return new CronExpression(normal, fields, eitherStarred);
    }

    /**
     * The first time this expression fires strictly after {@code after}, with wall-clock times read
     * in {@code zone}.
     */
    public Instant next(Instant after, ZoneId zone) {
        requireNonNull(after, "after is null");
        requireNonNull(zone, "zone is null");
        ZoneRules rules = zone.getRules();
        LocalDateTime start = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        LocalDate day = start.toLocalDate();
        for (int d = 0; d < SEARCH_DAYS; d++, day = day.plusDays(1)) {
            if (!months.get(day.getMonthValue()) || !dayMatches(day)) {
                continue;
            }
            boolean firstDay = d == 0;
            for (int h = hours.nextSetBit(firstDay ? start.getHour() : 0); h >= 0; h = hours.nextSetBit(h + 1)) {
                int fromMinute = firstDay && h == start.getHour() ? start.getMinute() : 0;
                for (int m = minutes.nextSetBit(fromMinute); m >= 0; m = minutes.nextSetBit(m + 1)) {
                    Optional<Instant> fire = instantOf(LocalDateTime.of(day, LocalTime.of(h, m)), rules, after);
                    if (fire.isPresent()) {
                        return fire.get();
                    }
                }
            }
        }
        // parse() refuses expressions that never run, so this is not reached
        throw new IllegalStateException("cron expression " + text + " has no run in " + SEARCH_DAYS + " days");
    }

    /** Whether the expression fires at this wall-clock minute (seconds are ignored). */
    public boolean matches(LocalDateTime local) {
        return minutes.get(local.getMinute()) && hours.get(local.getHour()) && months.get(local.getMonthValue())
                && dayMatches(local.toLocalDate());
    }

    private boolean dayMatches(LocalDate day) {
        boolean dom = daysOfMonth.get(day.getDayOfMonth());
        boolean dow = daysOfWeek.get(day.getDayOfWeek().getValue() % 7);
        return eitherDayStarred ? dom && dow : dom || dow;
    }

    /**
     * The instant a wall-clock time stands for: in a gap, the end of the gap; in an overlap, the
     * first occurrence that is after {@code after} (so a time already run in the first occurrence is
     * not run again when the search started after it).
     */
    private static Optional<Instant> instantOf(LocalDateTime local, ZoneRules rules, Instant after) {
        List<ZoneOffset> offsets = rules.getValidOffsets(local);
        if (offsets.isEmpty()) {
            Instant endOfGap = rules.getTransition(local).getInstant();
            return endOfGap.isAfter(after) ? Optional.of(endOfGap) : Optional.empty();
        }
        return offsets.stream().map(local::toInstant).sorted().filter(t -> t.isAfter(after)).findFirst();
    }

    private static boolean possibleDay(BitSet daysOfMonth, BitSet months) {
        for (int m = months.nextSetBit(1); m >= 0; m = months.nextSetBit(m + 1)) {
            int longest = Month.of(m).maxLength();
            int first = daysOfMonth.nextSetBit(1);
            if (first >= 0 && first <= longest) {
                return true;
            }
        }
        return false;
    }

    private static BitSet field(String expression, Field field, String spec) {
        BitSet out = new BitSet(field.max + 1);
        for (String part : spec.split(",", -1)) {
            if (part.isEmpty()) {
                throw problem(expression, field, spec, "has an empty list item");
            }
            int slash = part.indexOf('/');
            String base = slash < 0 ? part : part.substring(0, slash);
            int step = 1;
            if (slash >= 0) {
                step = number(expression, field, part.substring(slash + 1), "step");
                if (step < 1) {
                    throw problem(expression, field, part, "has a step of 0; a step must be 1 or more");
                }
            }
            int from;
            int to;
            if (base.equals("*")) {
                from = field.min;
                to = field == Field.DAY_OF_WEEK ? 6 : field.max;
            } else {
                int dash = base.indexOf('-');
                if (dash < 0) {
                    from = value(expression, field, base);
                    to = slash >= 0 ? (field == Field.DAY_OF_WEEK ? 6 : field.max) : from;
                } else {
                    from = value(expression, field, base.substring(0, dash));
                    to = value(expression, field, base.substring(dash + 1));
                    if (to < from) {
                        throw problem(expression, field, part, "runs backwards; write the smaller value first, e.g. "
                                + (field == Field.DAY_OF_WEEK ? "MON-FRI" : "1-5"));
                    }
                }
            }
            for (int v = from; v <= to; v += step) {
                out.set(v);
            }
        }
        return out;
    }

    private static int value(String expression, Field field, String s) {
        String upper = s.toUpperCase(Locale.ROOT);
        if (field == Field.MONTH && MONTHS.contains(upper)) {
            return MONTHS.indexOf(upper) + 1;
        }
        if (field == Field.DAY_OF_WEEK && DAYS.contains(upper)) {
            return DAYS.indexOf(upper);
        }
        int v = number(expression, field, s, "value");
        if (v < field.min || v > field.max) {
            throw problem(expression, field, s, "is out of range; allowed: " + field.allowed);
        }
        return v;
    }

    private static int number(String expression, Field field, String s, String what) {
        if (!s.matches("\\d{1,4}")) {
            String allowed = what.equals("step") ? "a whole number, as in */15"
                    : field.allowed + ", ranges like 1-5, lists like 1,3,5, steps like */2";
            throw problem(expression, field, s, "is not a " + what + "; allowed: " + allowed);
        }
        return Integer.parseInt(s);
    }

    private static IllegalArgumentException problem(String expression, Field field, String part, String what) {
        return new IllegalArgumentException("`" + expression + "` is not a valid cron expression: in the " + field.label
                + " field, `" + part + "` " + what);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CronExpression c && c.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The expression as parsed, fields separated by single spaces. */
    @Override
    public String toString() {
        return text;
    }
}
