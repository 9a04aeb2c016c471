package io.kuzet.server.store;

/**
 * Exponential backoff with a cap for a writer's retry loop: {@link #nextDelayMs} after each failure, {@link #reset}
 * after a success. Deterministic (no jitter: one writer per journal, nothing to de-synchronise).
 * Not thread-safe; one per writer loop.
 */
public final class Backoff {
    private final long initialMs;
    private final long maxMs;
    private long currentMs;

    public Backoff(long initialMs, long maxMs) {
        if (initialMs <= 0 || maxMs < initialMs) {
            throw new IllegalArgumentException("need 0 < initialMs <= maxMs, got " + initialMs + ", " + maxMs);
        }
        this.initialMs = initialMs;
        this.maxMs = maxMs;
    }

    /** The delay before the next attempt: initial, then doubling up to the cap. */
    public long nextDelayMs() {
        currentMs = currentMs == 0 ? initialMs : Math.min(maxMs, currentMs * 2);
        return currentMs;
    }

    public void reset() {
        currentMs = 0;
    }
}
