package io.kuzet.server.core;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The reporting interval of each device under pursuit, written by the core's adaptive supervision and read at login:
 * a Kuzet LOGIN_RESULT sets the device's interval (docs/protocol.md §5), so a bracelet that reconnects during a pursuit
 * must be told the pursuit interval, not the order's. Written on the core thread only when a pursuit starts or ends;
 * read from the I/O threads at logins. Thread-safe.
 */
public final class PursuitIntervals {
    private final ConcurrentHashMap<Long, Integer> byDevice = new ConcurrentHashMap<>();

    /** The pursuit interval of the device, or 0 when it is not under pursuit. */
    public int intervalS(long deviceId) {
        Integer s = byDevice.get(deviceId);
        return s == null ? 0 : s;
    }

    void pursue(long deviceId, int intervalS) {
        byDevice.put(deviceId, intervalS);
    }

    void end(long deviceId) {
        byDevice.remove(deviceId);
    }

    void clear() {
        byDevice.clear();
    }
}
