package io.kuzet.geofence.schedule;

/**
 * A span of time [fromMs, toMs) during which a schedule is constantly active or inactive; the evaluator caches
 * one per rule so the hot path asks java.time only when a fix leaves the span (a few times a day).
 *
 * <p>Mutable, not thread-safe: owned by the evaluating thread. Allocation-free.
 */
public final class ActivitySpan {
    private long fromMs = Long.MAX_VALUE;
    private long toMs = Long.MIN_VALUE;
    private boolean active;

    public boolean contains(long epochMs) {
        return epochMs >= fromMs && epochMs < toMs;
    }

    public long fromMs() {
        return fromMs;
    }

    public long toMs() {
        return toMs;
    }

    public boolean active() {
        return active;
    }

    void set(long fromMs, long toMs, boolean active) {
        this.fromMs = fromMs;
        this.toMs = toMs;
        this.active = active;
    }

    /** Forgets the cached span, e.g. after a schedule change. */
    public void clear() {
        fromMs = Long.MAX_VALUE;
        toMs = Long.MIN_VALUE;
    }
}
