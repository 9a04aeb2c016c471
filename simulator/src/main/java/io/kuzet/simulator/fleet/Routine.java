package io.kuzet.simulator.fleet;

import java.util.List;

/**
 * A subject's true movements over the simulated period: contiguous segments in time order. Immutable and
 * thread-safe. {@link #sample} is a binary search plus interpolation.
 */
public final class Routine {
    private final List<Segment> segments;

    public Routine(List<Segment> segments) {
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a routine needs at least one segment");
        }
        this.segments = List.copyOf(segments);
    }

    public List<Segment> segments() {
        return segments;
    }

    public long startMs() {
        return segments.get(0).startMs();
    }

    public long endMs() {
        return segments.get(segments.size() - 1).endMs();
    }

    /** The true state at {@code timeMs} (clamped to the routine's span). */
    public TruthSample sample(long timeMs) {
        int lo = 0;
        int hi = segments.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (segments.get(mid).startMs() <= timeMs) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return segments.get(lo).sample(timeMs);
    }
}
