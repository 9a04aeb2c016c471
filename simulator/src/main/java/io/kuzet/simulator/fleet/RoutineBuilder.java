package io.kuzet.simulator.fleet;

import io.kuzet.simulator.gps.GeoPoint;
import io.kuzet.simulator.gps.SkyView;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Appends contiguous segments to a routine from a time cursor: stay somewhere until a time, travel somewhere along
 * a street-grid path (one corner, as in the grid plans of Almaty and Astana), with an occasional tunnel. Not
 * thread-safe; one per routine being built.
 */
public final class RoutineBuilder {
    private final List<Segment> segments = new ArrayList<>();
    private final SplittableRandom random;
    private final double tunnelProbability;
    private long cursorMs;
    private GeoPoint position;

    public RoutineBuilder(long startMs, GeoPoint start, SplittableRandom random, double tunnelProbability) {
        this.cursorMs = startMs;
        this.position = start;
        this.random = random;
        this.tunnelProbability = tunnelProbability;
    }

    public long cursorMs() {
        return cursorMs;
    }

    public GeoPoint position() {
        return position;
    }

    /** Stays at the current position until {@code untilMs} (nothing when the cursor is already past it). */
    public RoutineBuilder stayUntil(long untilMs, SkyView sky, String activity) {
        if (untilMs > cursorMs) {
            segments.add(new Segment.Stay(cursorMs, untilMs, position, sky, activity));
            cursorMs = untilMs;
        }
        return this;
    }

    /** Stays for {@code durationMs}. */
    public RoutineBuilder stayFor(long durationMs, SkyView sky, String activity) {
        return stayUntil(cursorMs + durationMs, sky, activity);
    }

    /** Travels to {@code destination} along a one-corner street path; the duration follows from the mode's speed. */
    public RoutineBuilder travelTo(GeoPoint destination, TravelMode mode, String activity) {
        return travelAlong(streetPath(position, destination), mode, activity);
    }

    /** Travels along an explicit path starting at the current position. */
    public RoutineBuilder travelAlong(List<GeoPoint> path, TravelMode mode, String activity) {
        long durationMs = Math.max(1000, Math.round(Segment.Travel.lengthMetres(path) / mode.speedMetresPerSecond() * 1000));
        long blockedFrom = Long.MAX_VALUE;
        long blockedTo = Long.MAX_VALUE;
        if (mode != TravelMode.WALK && durationMs > 600_000 && random.nextDouble() < tunnelProbability) {
            blockedFrom = cursorMs + durationMs / 3 + random.nextLong(durationMs / 3);
            blockedTo = blockedFrom + 60_000 + random.nextLong(180_000);
        }
        segments.add(new Segment.Travel(cursorMs, cursorMs + durationMs, List.copyOf(path), mode, activity, blockedFrom, blockedTo));
        cursorMs += durationMs;
        position = path.get(path.size() - 1);
        return this;
    }

    /** The one-corner street path from {@code a} to {@code b}: east-west first, then north-south. */
    public static List<GeoPoint> streetPath(GeoPoint a, GeoPoint b) {
        return List.of(a, new GeoPoint(a.lat(), b.lon()), b);
    }

    public Routine build() {
        return new Routine(segments);
    }
}
