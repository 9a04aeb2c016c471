package io.kuzet.server.testing;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A settable clock for tests that drive time (absence timers) without sleeping. */
public final class TestClock implements LongSupplier {
    private final AtomicLong nowMs;

    public TestClock(long startMs) {
        nowMs = new AtomicLong(startMs);
    }

    @Override
    public long getAsLong() {
        return nowMs.get();
    }

    public long advance(long ms) {
        return nowMs.addAndGet(ms);
    }

    public void set(long ms) {
        nowMs.set(ms);
    }
}
