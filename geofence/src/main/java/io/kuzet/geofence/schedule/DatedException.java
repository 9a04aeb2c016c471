package io.kuzet.geofence.schedule;

import io.kuzet.geofence.GeofenceValidationException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

/**
 * A one-off change to a schedule in local wall-clock time: {@link Effect#ADD} makes the rule active (a court
 * appearance that requires being at home), {@link Effect#REMOVE} lifts it (an approved night shift). Removals win
 * over weekly windows and additions. Immutable.
 */
public record DatedException(Effect effect, LocalDateTime from, LocalDateTime to, String reason) {

    /** Whether the exception adds or removes active time. */
    public enum Effect { ADD, REMOVE }

    public DatedException {
        if (effect == null || from == null || to == null || !to.isAfter(from)) {
            throw new GeofenceValidationException("Schedule exception '" + reason + "' needs an effect and a"
                    + " period whose end (" + to + ") is after its start (" + from + ")");
        }
    }

    /** Adds a window on a date; an end not after the start runs into the next day. */
    public static DatedException add(LocalDate date, LocalTime from, LocalTime to, String reason) {
        return new DatedException(Effect.ADD, date.atTime(from), endOn(date, from, to), reason);
    }

    /** Removes a window on a date; an end not after the start runs into the next day. */
    public static DatedException remove(LocalDate date, LocalTime from, LocalTime to, String reason) {
        return new DatedException(Effect.REMOVE, date.atTime(from), endOn(date, from, to), reason);
    }

    /** Removes the whole local day. */
    public static DatedException removeDay(LocalDate date, String reason) {
        return new DatedException(Effect.REMOVE, date.atStartOfDay(), date.plusDays(1).atStartOfDay(), reason);
    }

    private static LocalDateTime endOn(LocalDate date, LocalTime from, LocalTime to) {
        return to.isAfter(from) ? date.atTime(to) : date.plusDays(1).atTime(to);
    }
}
