package io.kuzet.server.store;

import java.util.Arrays;

/**
 * A reusable columnar holder of device events (tamper, battery, power, beacon...) to store; the twin of
 * {@link PositionBatch}. {@code eventType} is the protocol module's {@code DeviceEventType} code.
 *
 * <p>Not thread-safe: owned by one writer thread.
 */
public final class DeviceEventBatch {
    int size;
    long[] deviceId;
    long[] subjectId;
    long[] orderId;
    long[] eventTimeMs;
    long[] receivedMs;
    int[] eventType;
    int[] value;
    long[] journalIndex;

    public DeviceEventBatch(int initialCapacity) {
        allocate(Math.max(16, initialCapacity));
    }

    public void add(long deviceId, long subjectId, long orderId, long eventTimeMs, long receivedMs, int eventType,
                    int value, long journalIndex) {
        if (size == this.deviceId.length) {
            allocate(size * 2);
        }
        int i = size++;
        this.deviceId[i] = deviceId;
        this.subjectId[i] = subjectId;
        this.orderId[i] = orderId;
        this.eventTimeMs[i] = eventTimeMs;
        this.receivedMs[i] = receivedMs;
        this.eventType[i] = eventType;
        this.value[i] = value;
        this.journalIndex[i] = journalIndex;
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

    public long eventTimeMs(int row) {
        return eventTimeMs[row];
    }

    private void allocate(int capacity) {
        deviceId = deviceId == null ? new long[capacity] : Arrays.copyOf(deviceId, capacity);
        subjectId = subjectId == null ? new long[capacity] : Arrays.copyOf(subjectId, capacity);
        orderId = orderId == null ? new long[capacity] : Arrays.copyOf(orderId, capacity);
        eventTimeMs = eventTimeMs == null ? new long[capacity] : Arrays.copyOf(eventTimeMs, capacity);
        receivedMs = receivedMs == null ? new long[capacity] : Arrays.copyOf(receivedMs, capacity);
        eventType = eventType == null ? new int[capacity] : Arrays.copyOf(eventType, capacity);
        value = value == null ? new int[capacity] : Arrays.copyOf(value, capacity);
        journalIndex = journalIndex == null ? new long[capacity] : Arrays.copyOf(journalIndex, capacity);
    }
}
