package io.kuzet.server.ingest;

import io.kuzet.geofence.state.StateFields;
import io.kuzet.protocol.DeviceMessage;
import io.kuzet.server.journal.Protocol;

/**
 * What ingestion remembers about one device to de-duplicate retransmissions: the highest journaled Kuzet
 * sequence, and for protocols without a usable sequence a small ring of recent message keys.
 *
 * <p>Guarded by its own monitor: a device has at most one live session, but a reconnect can overlap the old
 * connection's last frames on another event loop.
 */
public final class DeviceIngestState {
    private static final int RECENT_KEYS = 64;

    /** What a snapshot keeps (and a copy copies); a new field needs one line here (server/RATIONALE.md). */
    static final StateFields<DeviceIngestState> FIELDS = fields();

    private static StateFields<DeviceIngestState> fields() {
        StateFields<DeviceIngestState> f = new StateFields<DeviceIngestState>()
                .field("lastSequence", s -> s.lastSequence, (s, v) -> s.lastSequence = v)
                .field("recentCount", s -> s.recentCount, (s, v) -> s.recentCount = (int) v)
                .field("recentNext", s -> s.recentNext, (s, v) -> s.recentNext = (int) v);
        for (int i = 0; i < RECENT_KEYS; i++) {
            int slot = i;
            f.field("recentKey." + i, s -> s.recentKeys[slot], (s, v) -> s.recentKeys[slot] = v);
        }
        return f;
    }

    final long deviceId;
    long lastSequence;                 // highest Kuzet sequence journaled; 0 = none
    long clockFaultFixes;              // fixes of this device journaled as clock faults since start
    long lastIndex = -1;               // journal index of the device's latest record; -1 = none
    private final long[] recentKeys = new long[RECENT_KEYS];
    private int recentCount;
    private int recentNext;

    DeviceIngestState(long deviceId) {
        this.deviceId = deviceId;
    }

    public long deviceId() {
        return deviceId;
    }

    /** The highest sequence stored for this device (what LOGIN_RESULT reports), 0 if none. */
    public synchronized long lastSequence() {
        return lastSequence;
    }

    /** Fixes of this device found clock-faulty at ingest since the server started (too far ahead or too old). */
    public synchronized long clockFaultFixes() {
        return clockFaultFixes;
    }

    /**
     * Journal index of the device's latest record, -1 if none. A reply that reveals what is stored (a re-ack of a
     * duplicate, LOGIN_RESULT) waits until this index is durable; read it after {@link #lastSequence()}.
     */
    public synchronized long lastIndex() {
        return lastIndex;
    }

    /** Kuzet only, monitor held: the sequence skips past the next expected one, so a message in between is missing. */
    boolean isGap(Protocol protocol, long sequence) {
        return protocol == Protocol.KUZET && sequence != DeviceMessage.NO_SEQUENCE && sequence > lastSequence + 1;
    }

    /** Must be called with the monitor held. */
    boolean isDuplicate(Protocol protocol, DeviceMessage msg) {
        if (protocol == Protocol.KUZET) {
            return msg.sequence != DeviceMessage.NO_SEQUENCE && msg.sequence <= lastSequence;
        }
        long key = dedupeKey(msg);
        if (key == 0) {
            return false;
        }
        for (int i = 0; i < recentCount; i++) {
            if (recentKeys[i] == key) {
                return true;
            }
        }
        return false;
    }

    /** Must be called with the monitor held, after the message was journaled. */
    void remember(Protocol protocol, DeviceMessage msg) {
        if (protocol == Protocol.KUZET) {
            if (msg.sequence > lastSequence) {
                lastSequence = msg.sequence;
            }
            return;
        }
        long key = dedupeKey(msg);
        if (key != 0) {
            recentKeys[recentNext] = key;
            recentNext = (recentNext + 1) % RECENT_KEYS;
            if (recentCount < RECENT_KEYS) {
                recentCount++;
            }
        }
    }

    /**
     * Identity of a message for protocols whose serial wraps or is absent (GT06, Watch): the serial, the first fix time,
     * the shape of the message (fix count, heartbeat) and every event with its time. Messages of different kinds in the
     * same second therefore differ (a Watch AL alarm carries its events, a UD location report does not), while a
     * retransmission, which repeats the content, matches. Messages with neither a fix nor an event (heartbeats) are
     * never de-duplicated, which is harmless: they carry no evidence. Computed from journaled content only, so the
     * keys rebuilt from the journal after a restart are the same.
     */
    static long dedupeKey(DeviceMessage msg) {
        long time;
        if (msg.fixCount() > 0) {
            time = msg.fix(0).timeMs;
        } else if (msg.eventCount() > 0) {
            time = msg.eventTimeMs(0);
        } else {
            return 0;
        }
        long serial = msg.sequence == DeviceMessage.NO_SEQUENCE ? 0xFFFF_FFFFL : msg.sequence;
        long key = time * 31 + serial * 0x9E37_79B9_7F4A_7C15L + msg.fixCount() + (msg.heartbeat ? 0x100 : 0);
        for (int i = 0; i < msg.eventCount(); i++) {
            key = key * 0x100_0000_01B3L + ((long) msg.eventType(i).code() << 48 ^ msg.eventTimeMs(i));
        }
        return key == 0 ? 1 : key;
    }
}
