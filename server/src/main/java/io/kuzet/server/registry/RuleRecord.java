package io.kuzet.server.registry;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;

/**
 * A restriction of an order. {@code kind} is INCLUSION, EXCLUSION, CURFEW or PROXIMITY. Zone rules name a zone;
 * proximity rules name the victim's device and the distances. Zero hysteresis values mean "engine default for
 * the kind". Schedule windows are in the order's time zone; an empty schedule means always active. Immutable.
 */
public record RuleRecord(
        long id,
        long orderId,
        String name,
        String kind,
        long zoneId,
        long victimDeviceId,
        double distanceM,
        double warnDistanceM,
        double graceM,
        int openFixes,
        int openDwellS,
        int closeFixes,
        int closeDwellS,
        List<Window> windows,
        List<Exception> exceptions) {

    /** A weekly window; {@code end} before {@code start} runs past midnight. */
    public record Window(DayOfWeek day, LocalTime start, LocalTime end) {
    }

    /** A dated exception: adds a window (approved absence reversed, court-ordered extra) or removes one (court date, work shift). */
    public record Exception(LocalDate date, LocalTime start, LocalTime end, boolean add, String reason) {
    }
}
