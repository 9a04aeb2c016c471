package io.kuzet.geofence.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    private static final LocalTime NINE_PM = LocalTime.of(21, 0);
    private static final LocalTime SEVEN_AM = LocalTime.of(7, 0);

    private static long at(String zone, String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(ZoneId.of(zone)).toInstant().toEpochMilli();
    }

    private static long utc(String instant) {
        return java.time.Instant.parse(instant).toEpochMilli();
    }

    @Test
    void nightCurfewRunsAcrossMidnightInAlmaty() {
        Schedule s = Schedule.of("Asia/Almaty", List.of(WeeklyWindow.daily(NINE_PM, SEVEN_AM)), List.of());
        assertFalse(s.isActiveAt(at("Asia/Almaty", "2025-06-10T20:59:59")));
        assertTrue(s.isActiveAt(at("Asia/Almaty", "2025-06-10T21:00:00")));
        assertTrue(s.isActiveAt(at("Asia/Almaty", "2025-06-10T23:59:59")));
        assertTrue(s.isActiveAt(at("Asia/Almaty", "2025-06-11T00:00:00")));
        assertTrue(s.isActiveAt(at("Asia/Almaty", "2025-06-11T06:59:59")));
        assertFalse(s.isActiveAt(at("Asia/Almaty", "2025-06-11T07:00:00")));
        // Almaty has been UTC+5 all year since March 2024: 21:00 local is 16:00 UTC.
        assertTrue(s.isActiveAt(utc("2025-01-15T16:00:00Z")));
        assertFalse(s.isActiveAt(utc("2025-01-15T15:59:59Z")));
    }

    @Test
    void windowOnlyOnChosenWeekdaysContinuesIntoTheNextMorning() {
        Schedule s = Schedule.of("Asia/Almaty",
                List.of(WeeklyWindow.on(EnumSet.of(DayOfWeek.FRIDAY), LocalTime.of(22, 0), LocalTime.of(6, 0))),
                List.of());
        assertTrue(s.isActiveAt(at("Asia/Almaty", "2025-06-14T05:00:00")), "Saturday morning after Friday");
        assertFalse(s.isActiveAt(at("Asia/Almaty", "2025-06-14T22:30:00")), "Saturday night");
    }

    @Test
    void berlinSpringForwardNightIsOneHourShorterButStartsAndEndsAtLocalTimes() {
        Schedule s = Schedule.of("Europe/Berlin", List.of(WeeklyWindow.daily(NINE_PM, SEVEN_AM)), List.of());
        long start = at("Europe/Berlin", "2025-03-29T21:00");
        long end = s.nextChangeAfterMs(start);
        assertEquals(at("Europe/Berlin", "2025-03-30T07:00"), end);
        assertEquals(9 * 3600_000L, end - start);
        assertTrue(s.isActiveAt(utc("2025-03-30T01:30:00Z")), "03:30 CEST, just after the gap");
    }

    @Test
    void berlinFallBackNightIsOneHourLonger() {
        Schedule s = Schedule.of("Europe/Berlin", List.of(WeeklyWindow.daily(NINE_PM, SEVEN_AM)), List.of());
        long start = at("Europe/Berlin", "2025-10-25T21:00");
        assertEquals(11 * 3600_000L, s.nextChangeAfterMs(start) - start);
    }

    @Test
    void windowStartingInsideTheSpringGapBeginsWhenTheGapEnds() {
        Schedule s = Schedule.of("America/New_York",
                List.of(WeeklyWindow.daily(LocalTime.of(2, 30), LocalTime.of(5, 0))), List.of());
        // 2025-03-09: clocks jump from 02:00 EST to 03:00 EDT, 02:30 never happens.
        assertFalse(s.isActiveAt(utc("2025-03-09T06:59:59Z")), "01:59:59 EST");
        assertTrue(s.isActiveAt(utc("2025-03-09T07:00:00Z")), "03:00 EDT, end of the gap");
        assertEquals(utc("2025-03-09T09:00:00Z"), s.nextChangeAfterMs(utc("2025-03-09T07:00:00Z")), "05:00 EDT");
    }

    @Test
    void windowEndingInTheRepeatedFallBackHourEndsAtItsFirstOccurrence() {
        Schedule s = Schedule.of("America/New_York",
                List.of(WeeklyWindow.daily(LocalTime.of(0, 0), LocalTime.of(1, 30))), List.of());
        // 2025-11-02: 01:30 happens twice; the first is 05:30Z (EDT).
        assertEquals(utc("2025-11-02T05:30:00Z"), s.nextChangeAfterMs(utc("2025-11-02T04:00:00Z")));
        assertFalse(s.isActiveAt(utc("2025-11-02T06:00:00Z")), "the repeated 01:00 EST");
    }

    @Test
    void courtDateExceptionAddsAWindowAndApprovedShiftRemovesPartOfTheCurfew() {
        LocalDate court = LocalDate.of(2025, 6, 12);
        LocalDate shift = LocalDate.of(2025, 6, 13);
        Schedule s = Schedule.of("Asia/Almaty", List.of(WeeklyWindow.daily(NINE_PM, SEVEN_AM)), List.of(
                DatedException.add(court, LocalTime.of(9, 0), LocalTime.of(13, 0), "court appearance"),
                DatedException.remove(shift, LocalTime.of(22, 0), LocalTime.of(3, 0), "approved night shift")));
        assertTrue(s.isActiveAt(at("Asia/Almaty", "2025-06-12T10:00")));
        assertFalse(s.isActiveAt(at("Asia/Almaty", "2025-06-11T10:00")));
        assertTrue(s.isActiveAt(at("Asia/Almaty", "2025-06-13T21:30")));
        assertFalse(s.isActiveAt(at("Asia/Almaty", "2025-06-13T23:00")));
        assertFalse(s.isActiveAt(at("Asia/Almaty", "2025-06-14T02:59")));
        assertTrue(s.isActiveAt(at("Asia/Almaty", "2025-06-14T03:00")));
    }

    @Test
    void activitySpanCoversTheWholeConstantIntervalAroundTheInstant() {
        Schedule s = Schedule.of("Asia/Almaty", List.of(WeeklyWindow.daily(NINE_PM, SEVEN_AM)), List.of());
        ActivitySpan span = new ActivitySpan();
        s.locate(at("Asia/Almaty", "2025-06-11T03:00"), span);
        assertTrue(span.active());
        assertEquals(at("Asia/Almaty", "2025-06-10T21:00"), span.fromMs());
        assertEquals(at("Asia/Almaty", "2025-06-11T07:00"), span.toMs());
    }

    @Test
    void everyMinuteOfAYearAgreesWithANaiveWallClockCheck() {
        ZoneId zone = ZoneId.of("Europe/Berlin");
        Schedule s = new Schedule(zone, List.of(WeeklyWindow.daily(NINE_PM, SEVEN_AM)), List.of());
        ActivitySpan span = new ActivitySpan();
        long t = at("Europe/Berlin", "2025-01-01T00:00");
        long end = at("Europe/Berlin", "2026-01-01T00:00");
        for (; t < end; t += 7 * 60_000) {
            if (!span.contains(t)) {
                s.locate(t, span);
            }
            LocalTime local = ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(t), zone).toLocalTime();
            boolean expected = !local.isBefore(NINE_PM) || local.isBefore(SEVEN_AM);
            assertEquals(expected, span.active(), "at " + java.time.Instant.ofEpochMilli(t));
        }
    }
}
