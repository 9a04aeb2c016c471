package io.kuzet.geofence.schedule;

import io.kuzet.geofence.GeofenceValidationException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.Set;

/**
 * A window repeated every week on the given days, in the schedule's local wall-clock time. A window whose end is
 * not after its start runs past midnight into the next day (curfew 21:00-07:00 starting Monday ends Tuesday 07:00);
 * equal start and end means 24 hours. Immutable.
 */
public record WeeklyWindow(Set<DayOfWeek> days, LocalTime start, LocalTime end) {

    public WeeklyWindow {
        if (days == null || days.isEmpty() || start == null || end == null) {
            throw new GeofenceValidationException("Weekly window needs at least one day, a start and an end time");
        }
        days = Set.copyOf(EnumSet.copyOf(days));
    }

    /** Every day of the week. */
    public static WeeklyWindow daily(LocalTime start, LocalTime end) {
        return new WeeklyWindow(EnumSet.allOf(DayOfWeek.class), start, end);
    }

    public static WeeklyWindow on(Set<DayOfWeek> days, LocalTime start, LocalTime end) {
        return new WeeklyWindow(days, start, end);
    }

    boolean crossesMidnight() {
        return !end.isAfter(start);
    }
}
