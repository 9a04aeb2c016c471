package io.kuzet.protocol;

/**
 * One GPS fix in the protocol-neutral model every decoder produces.
 *
 * <p>A mutable holder: decoders fill preallocated instances so that decoding allocates nothing per fix.
 * Instances are not thread-safe; a consumer that keeps a fix beyond the call that handed it over must
 * {@link #copyFrom(Fix) copy} it.
 */
public final class Fix {
    /** {@link #accuracyDm} when the device reported neither accuracy nor HDOP. */
    public static final int ACCURACY_UNKNOWN = -1;
    /** {@link #hdopX10} when the device did not report HDOP. */
    public static final int HDOP_UNKNOWN = -1;

    /** Flag: the receiver had a valid position fix (otherwise the coordinates are the last known or zero). */
    public static final int FLAG_VALID = 1;
    /** Flag: the fix was buffered on the device and is sent late (store-and-forward replay). */
    public static final int FLAG_BUFFERED = 1 << 1;
    /** Flag: the accuracy was derived from HDOP rather than reported in metres by the device. */
    public static final int FLAG_ACCURACY_FROM_HDOP = 1 << 2;
    /** Flag: the accuracy was estimated from the satellite count ({@link AccuracyEstimate}), not reported. */
    public static final int FLAG_ACCURACY_ESTIMATED = 1 << 3;
    /**
     * Flag set by the server at ingest, never on the wire: the fix time is implausible for its receive time (too far
     * ahead or too old), so the fix is kept as evidence but not evaluated.
     */
    public static final int FLAG_CLOCK_FAULT = 1 << 7;

    public long timeMs;        // fix time, ms since the epoch, UTC
    public int latE7;          // latitude, 1e-7 degrees, WGS84
    public int lonE7;          // longitude, 1e-7 degrees, WGS84
    public int altitudeM;      // metres, as the device reports
    public int speedKmhX10;    // ground speed, 0.1 km/h
    public int headingDeg;     // course over ground, 0..359
    public int accuracyDm;     // horizontal accuracy radius, decimetres, or ACCURACY_UNKNOWN
    public int hdopX10;        // HDOP x 10, or HDOP_UNKNOWN
    public int satellites;     // satellites used
    public int flags;          // FLAG_* bits

    public Fix clear() {
        timeMs = 0;
        latE7 = 0;
        lonE7 = 0;
        altitudeM = 0;
        speedKmhX10 = 0;
        headingDeg = 0;
        accuracyDm = ACCURACY_UNKNOWN;
        hdopX10 = HDOP_UNKNOWN;
        satellites = 0;
        flags = 0;
        return this;
    }

    public Fix copyFrom(Fix other) {
        timeMs = other.timeMs;
        latE7 = other.latE7;
        lonE7 = other.lonE7;
        altitudeM = other.altitudeM;
        speedKmhX10 = other.speedKmhX10;
        headingDeg = other.headingDeg;
        accuracyDm = other.accuracyDm;
        hdopX10 = other.hdopX10;
        satellites = other.satellites;
        flags = other.flags;
        return this;
    }

    public boolean isValid() {
        return (flags & FLAG_VALID) != 0;
    }

    public boolean isBuffered() {
        return (flags & FLAG_BUFFERED) != 0;
    }

    public boolean isClockFault() {
        return (flags & FLAG_CLOCK_FAULT) != 0;
    }

    public double latitude() {
        return latE7 / 1e7;
    }

    public double longitude() {
        return lonE7 / 1e7;
    }

    /** Horizontal accuracy in metres, or {@code Double.NaN} when unknown. */
    public double accuracyMetres() {
        return accuracyDm == ACCURACY_UNKNOWN ? Double.NaN : accuracyDm / 10.0;
    }

    /** Where {@link #accuracyDm} comes from; {@link AccuracySource#DEFAULT} when it is unknown. */
    public AccuracySource accuracySource() {
        if (accuracyDm == ACCURACY_UNKNOWN) {
            return AccuracySource.DEFAULT;
        }
        if ((flags & FLAG_ACCURACY_FROM_HDOP) != 0) {
            return AccuracySource.ESTIMATED_HDOP;
        }
        return (flags & FLAG_ACCURACY_ESTIMATED) != 0 ? AccuracySource.ESTIMATED_SATELLITES : AccuracySource.REPORTED;
    }

    public double speedKmh() {
        return speedKmhX10 / 10.0;
    }

    @Override
    public String toString() {
        return "Fix{t=" + timeMs + ", lat=" + latitude() + ", lon=" + longitude() + ", alt=" + altitudeM
                + "m, speed=" + speedKmh() + "km/h, heading=" + headingDeg + ", accuracyDm=" + accuracyDm
                + ", hdopX10=" + hdopX10 + ", sats=" + satellites + ", flags=" + flags + '}';
    }
}
