package io.kuzet.simulator.target;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The clock an in-process server journals with: either the wall clock or simulated time that the simulator sets,
 * which lets absence timers run days in seconds. Thread-safe.
 */
public final class SimClock implements LongSupplier {
    private final AtomicLong simulatedMs;
    private final boolean wall;

    private SimClock(boolean wall, long startMs) {
        this.wall = wall;
        this.simulatedMs = new AtomicLong(startMs);
    }

    public static SimClock wall() {
        return new SimClock(true, 0);
    }

    public static SimClock simulated(long startMs) {
        return new SimClock(false, startMs);
    }

    public boolean isSimulated() {
        return !wall;
    }

    @Override
    public long getAsLong() {
        return wall ? System.currentTimeMillis() : simulatedMs.get();
    }

    /** Moves simulated time forward to {@code timeMs} (never backwards). */
    public void advanceTo(long timeMs) {
        if (wall) {
            throw new IllegalStateException("the wall clock cannot be set");
        }
        simulatedMs.accumulateAndGet(timeMs, Math::max);
    }
}
