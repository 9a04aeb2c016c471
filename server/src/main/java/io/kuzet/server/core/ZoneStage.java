package io.kuzet.server.core;

import io.kuzet.protocol.Fix;
import io.kuzet.server.registry.DeviceRecord;
import io.kuzet.server.registry.OrderRecord;

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

    /** A clock tick: schedules opening/closing and dwell limits that pass without new fixes. */
    void onTick(CoreDevice d, DeviceRecord device, OrderRecord order, long nowMs);
}
