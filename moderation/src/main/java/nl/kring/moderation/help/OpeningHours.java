package nl.kring.moderation.help;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * When a helpline is open, in Europe/Amsterdam time (daylight saving included: the check turns
 * any instant into Amsterdam wall-clock time first). Written as {@code always} or as day ranges
 * with hours, for example {@code mon-fri 09:00-17:00, sat 10:00-14:00, sun 20:00-02:00} (a range
 * that ends before it starts runs past midnight into the next day). Immutable.
 */
public final class OpeningHours {

    public static final ZoneId AMSTERDAM = ZoneId.of("Europe/Amsterdam");
    private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    private record Span(LocalTime from, LocalTime to) {
    }

    private final String text;
    private final boolean always;
    private final Map<DayOfWeek, List<Span>> week;

    private OpeningHours(String text, boolean always, Map<DayOfWeek, List<Span>> week) {
        this.text = text;
        this.always = always;
        this.week = week;
    }

    public static final OpeningHours ALWAYS = new OpeningHours("always", true, Map.of());

    /** Parses the text form; throws {@link IllegalArgumentException} saying what is wrong. */
    public static OpeningHours parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("always") || t.equals("24/7")) {
            return ALWAYS;
        }
        Map<DayOfWeek, List<Span>> week = new EnumMap<>(DayOfWeek.class);
        if (t.isEmpty()) {
            throw new IllegalArgumentException("hours must be 'always' or like 'mon-fri 09:00-17:00'");
        }
        for (String part : t.split(",")) {
            String[] dayAndTime = part.strip().split("\\s+");
            if (dayAndTime.length != 2) {
                throw new IllegalArgumentException("'" + part.strip() + "' is not like 'mon-fri 09:00-17:00'");
            }
            List<DayOfWeek> days = days(dayAndTime[0]);
            String[] times = dayAndTime[1].split("-");
            if (times.length != 2) {
                throw new IllegalArgumentException("'" + dayAndTime[1] + "' is not like 09:00-17:00");
            }
            Span span;
            try {
                span = new Span(LocalTime.parse(times[0]), LocalTime.parse(times[1]));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("'" + dayAndTime[1] + "' is not like 09:00-17:00");
            }
            for (DayOfWeek d : days) {
                week.computeIfAbsent(d, k -> new ArrayList<>()).add(span);
            }
        }
        return new OpeningHours(t, false, week);
    }

    private static List<DayOfWeek> days(String range) {
        String[] ends = range.split("-");
        int from = DAYS.indexOf(ends[0]);
        int to = ends.length == 2 ? DAYS.indexOf(ends[1]) : from;
        if (from < 0 || to < 0 || ends.length > 2) {
            throw new IllegalArgumentException("'" + range + "' is not a day or a day range like mon-fri");
        }
        List<DayOfWeek> out = new ArrayList<>();
        for (int d = from; ; d = (d + 1) % 7) {
            out.add(DayOfWeek.of(d + 1));
            if (d == to) {
                return out;
            }
        }
    }

    /** Whether it is open at this moment. */
    public boolean isOpen(java.time.Instant at) {
        if (always) {
            return true;
        }
        ZonedDateTime local = at.atZone(AMSTERDAM);
        LocalTime time = local.toLocalTime();
        for (Span s : week.getOrDefault(local.getDayOfWeek(), List.of())) {
            boolean overnight = !s.to.isAfter(s.from);
            if (overnight ? !time.isBefore(s.from) : !time.isBefore(s.from) && time.isBefore(s.to)) {
                return true;
            }
        }
        for (Span s : week.getOrDefault(local.getDayOfWeek().minus(1), List.of())) {
            if (!s.to.isAfter(s.from) && time.isBefore(s.to)) {
                return true;
            }
        }
        return false;
    }

    public boolean always() {
        return always;
    }

    @Override
    public String toString() {
        return text;
    }
}
