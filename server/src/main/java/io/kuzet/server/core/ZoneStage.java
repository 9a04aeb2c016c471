package io.kuzet.server.core;

import io.kuzet.protocol.Fix;
import io.kuzet.server.registry.DeviceRecord;
import io.kuzet.server.registry.OrderRecord;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Location rules: inclusion, exclusion, curfew and proximity, evaluated for each valid fix of a monitored
 * bracelet with the geofence engine. Core thread only.
 */
interface ZoneStage {
    /** The registry changed: rebuild rule sets (off the per-fix path). */
    void registryChanged(CoreDirectory directory);

    /** A valid fix of a monitored bracelet. */
    void onFix(CoreDevice d, DeviceRecord device, OrderRecord order, Fix fix, long recordTimeMs, boolean late, long receivedNanoTime);

    /** A valid fix of a victim unit (for proximity rules of the offenders linked to it). */
    void onVictimFix(DeviceRecord victimDevice, Fix fix);

    /** A victim unit's fix read outside the journal order of this core (Kafka: another node's partition). */
    void onVictimPosition(long victimDeviceId, long fixTimeMs, double lat, double lon, double accuracyMetres);

    /** A clock tick: schedules opening/closing and dwell limits that pass without new fixes. */
    void onTick(CoreDevice d, DeviceRecord device, OrderRecord order, long nowMs);

    /** Writes the state shared by all devices (victim positions, field names) into a core snapshot. */
    void saveShared(DataOutput out) throws IOException;

    /** Writes what this stage holds for one device into a core snapshot. */
    void saveDevice(CoreDevice d, DataOutput out) throws IOException;

    /** Reads what {@link #saveShared} wrote; called once before the devices, after {@link #registryChanged}. */
    void restoreShared(DataInput in) throws IOException;

    /** Reads what {@link #saveDevice} wrote for this device. */
    void restoreDevice(CoreDevice d, DataInput in) throws IOException;
}
