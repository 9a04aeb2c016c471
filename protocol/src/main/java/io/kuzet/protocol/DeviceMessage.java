package io.kuzet.protocol;

/**
 * The protocol-neutral content of one device message: the fixes, device events and status a frame
 * carried. Every decoder (Kuzet, GT06, Watch) fills this one model, so the server never sees protocol
 * details beyond the session layer.
 *
 * <p>A reusable holder with preallocated capacity ({@link #MAX_FIXES} fixes, {@link #MAX_EVENTS} events):
 * call {@link #clear()} and fill it per frame; nothing is allocated per message. Not thread-safe.
 */
public final class DeviceMessage {
    /** Largest number of fixes one message may carry (the Kuzet POSITION_BATCH limit). */
    public static final int MAX_FIXES = 128;
    /** Largest number of device events one message may carry. */
    public static final int MAX_EVENTS = 16;
    /** {@link #batteryPercent} / {@link #signalPercent} / event value when not reported. */
    public static final int UNKNOWN = -1;
    /** {@link #sequence} for protocols without a message sequence. */
    public static final long NO_SEQUENCE = -1;

    public long deviceId;                 // Kuzet device id / IMEI as a number
    public long sequence;                 // the protocol's message sequence or serial used for de-duplication
    public int batteryPercent;            // 0..100 or UNKNOWN
    public int signalPercent;             // 0..100 or UNKNOWN
    public boolean heartbeat;             // the message was (or included) a heartbeat / status report
    public boolean frameAuthenticated;    // set by the session: the frame carried a verified per-frame MAC
    public long statusTimeMs;             // device time of the heartbeat / status report, ms UTC, or 0 when not reported
    public boolean charging;              // the status report said the charger is connected

    private final Fix[] fixes = new Fix[MAX_FIXES];
    private int fixCount;

    private final long[] eventTimeMs = new long[MAX_EVENTS];
    private final DeviceEventType[] eventTypes = new DeviceEventType[MAX_EVENTS];
    private final int[] eventValues = new int[MAX_EVENTS];
    private int eventCount;

    public DeviceMessage() {
        for (int i = 0; i < MAX_FIXES; i++) {
            fixes[i] = new Fix().clear();
        }
        clear();
    }

    public DeviceMessage clear() {
        deviceId = 0;
        sequence = NO_SEQUENCE;
        batteryPercent = UNKNOWN;
        signalPercent = UNKNOWN;
        heartbeat = false;
        frameAuthenticated = false;
        statusTimeMs = 0;
        charging = false;
        fixCount = 0;
        eventCount = 0;
        return this;
    }

    /** Returns the next preallocated fix, cleared, and counts it; throws when the message is full. */
    public Fix addFix() {
        if (fixCount == MAX_FIXES) {
            throw new ProtocolException(DecodeError.BAD_FIELD, "more than " + MAX_FIXES + " fixes in one message");
        }
        return fixes[fixCount++].clear();
    }


    public int fixCount() {
        return fixCount;
    }

    public Fix fix(int index) {
        if (index >= fixCount) {
            throw new IndexOutOfBoundsException("fix " + index + " of " + fixCount);
        }
        return fixes[index];
    }

    public void addEvent(long timeMs, DeviceEventType type, int value) {
        if (eventCount == MAX_EVENTS) {
            throw new ProtocolException(DecodeError.BAD_FIELD, "more than " + MAX_EVENTS + " events in one message");
        }
        eventTimeMs[eventCount] = timeMs;
        eventTypes[eventCount] = type;
        eventValues[eventCount] = value;
        eventCount++;
    }

    public int eventCount() {
        return eventCount;
    }

    public long eventTimeMs(int index) {
        checkEvent(index);
        return eventTimeMs[index];
    }

    public DeviceEventType eventType(int index) {
        checkEvent(index);
        return eventTypes[index];
    }

    /** The event's value (battery percent, beacon id) or {@link #UNKNOWN}. */
    public int eventValue(int index) {
        checkEvent(index);
        return eventValues[index];
    }

    public boolean isEmpty() {
        return fixCount == 0 && eventCount == 0 && !heartbeat;
    }

    private void checkEvent(int index) {
        if (index >= eventCount) {
            throw new IndexOutOfBoundsException("event " + index + " of " + eventCount);
        }
    }

    /** Copies all content of {@code other} into this message. */
    public DeviceMessage copyFrom(DeviceMessage other) {
        clear();
        deviceId = other.deviceId;
        sequence = other.sequence;
        batteryPercent = other.batteryPercent;
        signalPercent = other.signalPercent;
        heartbeat = other.heartbeat;
        statusTimeMs = other.statusTimeMs;
        charging = other.charging;
        for (int i = 0; i < other.fixCount; i++) {
            addFix().copyFrom(other.fixes[i]);
        }
        for (int i = 0; i < other.eventCount; i++) {
            addEvent(other.eventTimeMs[i], other.eventTypes[i], other.eventValues[i]);
        }
        return this;
    }
}
