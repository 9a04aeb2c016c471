package io.kuzet.server.store;

import java.util.Arrays;

/**
 * A reusable columnar holder of positions to store, one array per column, values in the journal's wire units.
 * {@link #add} appends a row (growing the arrays when full), {@link #clear} empties it without freeing memory, so a
 * writer loop allocates nothing once the batch has reached its working size.
 *
 * <p>Not thread-safe: owned by one writer thread.
 */
public final class PositionBatch {
    /** Accuracy or HDOP not reported; stored as NULL. */
    public static final int UNKNOWN = -1;

    int size;
    long[] deviceId;
    long[] subjectId;
    long[] orderId;
    long[] fixTimeMs;
    long[] receivedMs;
    int[] latE7;
    int[] lonE7;
    int[] altitudeM;
    int[] speedKmhX10;
    int[] headingDeg;
    int[] accuracyDm;
    int[] hdopX10;
    int[] satellites;
    int[] flags;
    long[] journalIndex;
    PositionAssurance[] assurance;

    public PositionBatch(int initialCapacity) {
        allocate(Math.max(16, initialCapacity));
    }

    /**
     * Appends one fix. {@code accuracyDm} and {@code hdopX10} may be {@link #UNKNOWN}.
     *
     * @param journalIndex index of the journal record the fix came from (orders a device's rows with equal fix times)
     */
    public void add(long deviceId, long subjectId, long orderId, long fixTimeMs, long receivedMs, int latE7, int lonE7,
                    int altitudeM, int speedKmhX10, int headingDeg, int accuracyDm, int hdopX10, int satellites,
                    int flags, long journalIndex) {
        if (size == this.deviceId.length) {
            allocate(size * 2);
        }
        int i = size++;
        this.deviceId[i] = deviceId;
        this.subjectId[i] = subjectId;
        this.orderId[i] = orderId;
        this.fixTimeMs[i] = fixTimeMs;
        this.receivedMs[i] = receivedMs;
        this.latE7[i] = latE7;
        this.lonE7[i] = lonE7;
        this.altitudeM[i] = altitudeM;
        this.speedKmhX10[i] = speedKmhX10;
        this.headingDeg[i] = headingDeg;
        this.accuracyDm[i] = accuracyDm;
        this.hdopX10[i] = hdopX10;
        this.satellites[i] = satellites;
        this.flags[i] = flags;
        this.journalIndex[i] = journalIndex;
        this.assurance[i] = null;
    }

    /** Sets the assurance of a row already added (null: stored as NULL). */
    public void assurance(int row, PositionAssurance value) {
        assurance[row] = value;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public void clear() {
        size = 0;
    }

    public long fixTimeMs(int row) {
        return fixTimeMs[row];
    }

    private void allocate(int capacity) {
        deviceId = grow(deviceId, capacity);
        subjectId = grow(subjectId, capacity);
        orderId = grow(orderId, capacity);
        fixTimeMs = grow(fixTimeMs, capacity);
        receivedMs = grow(receivedMs, capacity);
        latE7 = grow(latE7, capacity);
        lonE7 = grow(lonE7, capacity);
        altitudeM = grow(altitudeM, capacity);
        speedKmhX10 = grow(speedKmhX10, capacity);
        headingDeg = grow(headingDeg, capacity);
        accuracyDm = grow(accuracyDm, capacity);
        hdopX10 = grow(hdopX10, capacity);
        satellites = grow(satellites, capacity);
        flags = grow(flags, capacity);
        journalIndex = grow(journalIndex, capacity);
        assurance = assurance == null ? new PositionAssurance[capacity] : Arrays.copyOf(assurance, capacity);
    }

    private static long[] grow(long[] a, int capacity) {
        return a == null ? new long[capacity] : Arrays.copyOf(a, capacity);
    }

    private static int[] grow(int[] a, int capacity) {
        return a == null ? new int[capacity] : Arrays.copyOf(a, capacity);
    }
}
