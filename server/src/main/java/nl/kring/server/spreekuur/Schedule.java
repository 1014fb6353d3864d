package nl.kring.server.spreekuur;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When a consultation hour (eSpreekuur) takes place: once, or weekly on a weekday, at a wall-clock
 * time in Europe/Amsterdam, so that "Tuesdays 19:00–20:30" stays 19:00 on both sides of a
 * daylight-saving change. A start in the spring-forward gap (02:00–03:00 on the last Sunday of
 * March) moves forward by the gap's length; a start in the autumn overlap takes the earlier
 * (summer-time) instant. Immutable; the first building block of the eSpreekuren issue.
 *
 * @param firstDay  the day of the first (or only) session; for a weekly one its weekday is the weekday of every session
 * @param start     the wall-clock start
 * @param duration  1 minute to 12 hours
 * @param weekly    whether it repeats every week
 * @param lastDay   a weekly session's last possible day, or {@code null} for no end
 */
public record Schedule(LocalDate firstDay, LocalTime start, Duration duration, boolean weekly, LocalDate lastDay) {

    public static final ZoneId AMSTERDAM = nl.kring.server.config.Amsterdam.ZONE;
    /** Members can wait in the room this long before a session opens. */
    public static final Duration WAITING = Duration.ofMinutes(15);

    public Schedule {
        if (duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofHours(12)) > 0) {
            throw new IllegalArgumentException("a session lasts 1 minute to 12 hours");
        }
        if (lastDay != null && (!weekly || lastDay.isBefore(firstDay))) {
            throw new IllegalArgumentException("only a weekly session has a last day, on or after its first");
        }
    }

    public static Schedule once(LocalDate day, LocalTime start, Duration duration) {
        return new Schedule(day, start, duration, false, null);
    }

    public static Schedule weekly(LocalDate firstDay, LocalTime start, Duration duration, LocalDate lastDay) {
        return new Schedule(firstDay, start, duration, true, lastDay);
    }

    public DayOfWeek weekday() {
        return firstDay.getDayOfWeek();
    }

    /** One session: its start and end instants. */
    public record Occurrence(Instant start, Instant end) {
        public boolean contains(Instant t) {
            return !t.isBefore(start) && t.isBefore(end);
        }
    }

    /** The session on a given day (that day must be a session day). */
    Occurrence on(LocalDate day) {
        ZonedDateTime begin = ZonedDateTime.ofLocal(LocalDateTime.of(day, start), AMSTERDAM, null);
        return new Occurrence(begin.toInstant(), begin.toInstant().plus(duration));
    }

    /** Every session that overlaps {@code [from, to)}, in order (at most 520: ten years of weeks). */
    public List<Occurrence> between(Instant from, Instant to) {
        List<Occurrence> out = new ArrayList<>();
        LocalDate day = firstDay;
        LocalDate earliest = from.minus(duration).atZone(AMSTERDAM).toLocalDate().minusDays(1);
        if (weekly && day.isBefore(earliest)) {
            long weeks = java.time.temporal.ChronoUnit.WEEKS.between(day, earliest);
            day = day.plusWeeks(weeks);
        }
        while (out.size() < 520 && (lastDay == null || !day.isAfter(lastDay))) {
            Occurrence o = on(day);
            if (!o.start().isBefore(to)) {
                break;
            }
            if (o.end().isAfter(from)) {
                out.add(o);
            }
            if (!weekly) {
                break;
            }
            day = day.plusWeeks(1);
        }
        return out;
    }

    /** The session running at {@code now}, or the next one; empty when there is none any more. */
    public Optional<Occurrence> currentOrNext(Instant now) {
        List<Occurrence> soon = between(now, now.plus(Duration.ofDays(weekly ? 8 : 36_500)));
        return soon.isEmpty() ? Optional.empty() : Optional.of(soon.get(0));
    }

    /** Where a session's room is at {@code now}. */
    public enum Phase {
        /** Nothing within the waiting time: the community page shows the next session and the crisis card. */
        CLOSED,
        /** Up to {@link #WAITING} before the start: members see the session and may wait. */
        WAITING,
        /** The group room is open. */
        OPEN
    }

    public Phase phase(Instant now) {
        Optional<Occurrence> o = currentOrNext(now);
        if (o.isEmpty()) {
            return Phase.CLOSED;
        }
        if (o.get().contains(now)) {
            return Phase.OPEN;
        }
        return Duration.between(now, o.get().start()).compareTo(WAITING) <= 0 ? Phase.WAITING : Phase.CLOSED;
    }
}
