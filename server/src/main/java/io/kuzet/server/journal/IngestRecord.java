package io.kuzet.server.journal;

import io.kuzet.protocol.DeviceMessage;

/**
 * One record of the ingest journal, decoded into a reusable holder. Records are either a device message (what
 * a device sent, normalised by its protocol decoder) or a clock tick that drives absence timers, so that the
 * evaluation core takes every decision from journal content and a replay raises the same alerts.
 *
 * <p>Not thread-safe; one instance per reader.
 */
public final class IngestRecord {
    public static final int TYPE_DEVICE_MESSAGE = 1;
    public static final int TYPE_TICK = 2;
    /** A message the device sent that failed validation: consumed (its sequence is used up) but carries no data. */
    public static final int TYPE_REFUSED_MESSAGE = 3;
    /** A second login of a device while it had a connected session (docs/device-trust.md): raises a device alert. */
    public static final int TYPE_SESSION_CONFLICT = 4;
    /** A record of a type this code does not know (written by a newer version); readers that must count it skip it. */
    public static final int TYPE_UNKNOWN = 0;

    public int type;
    public long index;            // journal index of this record
    /** Kafka journal: the partition the record was read from, and how many the topic has; -1 and 0 for Chronicle. */
    public int partition = -1;
    public int partitions;
    public long timeMs;           // receive time (device message) or tick time
    public long receivedNanoTime; // System.nanoTime() at receipt; comparable only within the same process run
    public long deviceId;         // registry id of the device (device messages only)
    public int protocol;          // Protocol code
    public final DeviceMessage message = new DeviceMessage();   // message.deviceId = the device's own number (IMEI / Kuzet id)

    /** For {@link #TYPE_REFUSED_MESSAGE}: the DecodeError ordinal that refused it. */
    public int refusalReason;

    /** For {@link #TYPE_SESSION_CONFLICT}: 0 the old session was replaced, 1 the new login was refused. */
    public int conflictOutcome;
    /** For {@link #TYPE_SESSION_CONFLICT}: the two source addresses, as text. */
    public String conflictDetail;

    public boolean isTick() {
        return type == TYPE_TICK;
    }
}
