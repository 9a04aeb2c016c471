package io.kuzet.geofence.schedule;

import io.kuzet.geofence.GeofenceValidationException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * When a rule applies: weekly windows in an IANA time zone plus dated exceptions. Active time is
 * (weekly windows + ADD exceptions) - REMOVE exceptions, each a half-open interval [start, end).
 *
 * <p>Wall-clock times map to instants as "the first instant the local clock shows that time or later": a time
 * skipped by a spring-forward gap maps to the end of the gap (a 02:30 start on that day begins at 03:00), a time
 * repeated by a fall-back overlap maps to its first occurrence. So windows keep their local meaning and simply get
 * an hour shorter or longer on DST days.
 *
 * <p>Immutable and thread-safe. {@link #locate} costs a few microseconds and allocates; evaluators call it only when
 * a fix falls outside their cached {@link ActivitySpan}.
 */
public final class Schedule {
    private final ZoneId zone;
    private final List<WeeklyWindow> windows;
    private final List<DatedException> exceptions;

    public Schedule(ZoneId zone, List<WeeklyWindow> windows, List<DatedException> exceptions) {
        if (zone == null) {
            throw new GeofenceValidationException("Schedule needs an IANA time zone, e.g. Asia/Almaty");
        }
        this.zone = zone;
        this.windows = List.copyOf(windows);
        this.exceptions = List.copyOf(exceptions);
    }

    /** Parses the zone id, failing with an actionable message on an unknown id. */
    public static Schedule of(String zoneId, List<WeeklyWindow> windows, List<DatedException> exceptions) {
        ZoneId zone;
        try {
            zone = ZoneId.of(zoneId);
        } catch (RuntimeException e) {
            throw new GeofenceValidationException("Schedule time zone '" + zoneId
                    + "' is not an IANA zone id such as Asia/Almaty or Europe/Berlin");
        }
        return new Schedule(zone, windows, exceptions);
    }

    public ZoneId zone() {
        return zone;
    }

    public List<WeeklyWindow> windows() {
        return windows;
    }

    public List<DatedException> exceptions() {
        return exceptions;
    }

    /** Whether the schedule is active at the instant. */
    public boolean isActiveAt(long epochMs) {
        ActivitySpan span = new ActivitySpan();
        locate(epochMs, span);
        return span.active();
    }

    /** The first instant after {@code epochMs} at which activity changes, or Long.MAX_VALUE if within a year none. */
    public long nextChangeAfterMs(long epochMs) {
        ActivitySpan span = new ActivitySpan();
        locate(epochMs, span);
        boolean active = span.active();
        long limit = epochMs + 366L * 24 * 3600 * 1000;
        while (span.toMs() < limit) {
            long boundary = span.toMs();
            locate(boundary, span);
            if (span.active() != active) {
                return boundary;
            }
        }
        return Long.MAX_VALUE;
    }

    /**
     * Fills {@code span} with the longest interval around {@code epochMs}, within the local days before and after,
     * over which activity is constant.
     */
    public void locate(long epochMs, ActivitySpan span) {
        ZoneRules rules = zone.getRules();
        LocalDate day = Instant.ofEpochMilli(epochMs).atZone(zone).toLocalDate();
        long horizonFrom = toEpochMs(rules, day.minusDays(1).atStartOfDay());
        long horizonTo = toEpochMs(rules, day.plusDays(2).atStartOfDay());
        List<long[]> on = new ArrayList<>();
        List<long[]> off = new ArrayList<>();
        // Windows start at most 24 h before they end, so windows starting two days back cover the horizon.
        for (LocalDate d = day.minusDays(2); !d.isAfter(day.plusDays(2)); d = d.plusDays(1)) {
            for (WeeklyWindow w : windows) {
                if (w.days().contains(d.getDayOfWeek())) {
                    LocalDateTime start = d.atTime(w.start());
                    LocalDateTime end = w.crossesMidnight() ? d.plusDays(1).atTime(w.end()) : d.atTime(w.end());
                    on.add(new long[] {toEpochMs(rules, start), toEpochMs(rules, end)});
                }
            }
        }
        for (DatedException e : exceptions) {
            long[] interval = {toEpochMs(rules, e.from()), toEpochMs(rules, e.to())};
            if (interval[1] > horizonFrom && interval[0] < horizonTo) {
                (e.effect() == DatedException.Effect.ADD ? on : off).add(interval);
            }
        }
        long[] cuts = new long[2 * (on.size() + off.size()) + 2];
        int n = 0;
        cuts[n++] = horizonFrom;
        cuts[n++] = horizonTo;
        for (long[] i : on) {
            cuts[n++] = i[0];
            cuts[n++] = i[1];
        }
        for (long[] i : off) {
            cuts[n++] = i[0];
            cuts[n++] = i[1];
        }
        Arrays.sort(cuts, 0, n);
        boolean active = activeAt(epochMs, on, off);
        long from = horizonFrom;
        long to = horizonTo;
        for (int k = 0; k < n; k++) {
            long cut = Math.max(horizonFrom, Math.min(horizonTo, cuts[k]));
            // Activity is constant between consecutive cuts; probe each piece just before and at the cut.
            if (cut <= epochMs && cut > from && activeAt(cut - 1, on, off) != active) {
                from = cut;
            }
            if (cut > epochMs && cut < to && activeAt(cut, on, off) != active) {
                to = cut;
            }
        }
        span.set(from, to, active);
    }

    private static boolean activeAt(long t, List<long[]> on, List<long[]> off) {
        for (long[] i : off) {
            if (t >= i[0] && t < i[1]) {
                return false;
            }
        }
        for (long[] i : on) {
            if (t >= i[0] && t < i[1]) {
                return true;
            }
        }
        return false;
    }

    /** The first instant at which the local clock shows {@code local} or a later time. */
    static long toEpochMs(ZoneRules rules, LocalDateTime local) {
        ZoneOffsetTransition transition = rules.getTransition(local);
        if (transition != null && transition.isGap()) {
            return transition.getInstant().toEpochMilli();
        }
        return local.toInstant(rules.getValidOffsets(local).get(0)).toEpochMilli();
    }
}
