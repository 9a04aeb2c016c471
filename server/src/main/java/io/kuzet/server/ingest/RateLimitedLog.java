package io.kuzet.server.ingest;

import org.slf4j.Logger;

/**
 * Logs bad-input events at most {@code perSecond} times a second, then one summary line with the number
 * suppressed, so a flood of garbage cannot flood the log. Never logs a stack trace. Thread-safe.
 */
public final class RateLimitedLog {
    private final Logger log;
    private final int perSecond;
    private long windowStartMs;
    private int inWindow;
    private long suppressed;

    public RateLimitedLog(Logger log, int perSecond) {
        this.log = log;
        this.perSecond = perSecond;
    }

    public void warn(String format, Object... args) {
        long suppressedNow = -1;
        synchronized (this) {
            long now = System.currentTimeMillis();
            if (now - windowStartMs >= 1000) {
                if (suppressed > 0) {
                    suppressedNow = suppressed;
                }
                windowStartMs = now;
                inWindow = 0;
                suppressed = 0;
            }
            if (inWindow >= perSecond) {
                suppressed++;
                return;
            }
            inWindow++;
        }
        if (suppressedNow > 0) {
            log.warn("{} similar messages suppressed in the last second", suppressedNow);
        }
        log.warn(format, args);
    }
}
