package io.kuzet.server.core;

import io.kuzet.server.registry.DeviceRecord;
import io.kuzet.server.registry.OrderRecord;
import java.util.Collection;

/**
 * The registry as the evaluation core sees it: immutable snapshots, swapped atomically when subjects, orders,
 * devices or rules change, so the core never sees a half-applied change. Implementations are thread-safe.
 */
public interface CoreDirectory {
    /** The device with this registry id, or null. */
    DeviceRecord device(long deviceId);

    /** The subject's order in force at {@code atMs}, or null (no monitoring outside an order). */
    OrderRecord activeOrder(long subjectId, long atMs);

    /** Every device currently assigned to a subject. */
    Collection<DeviceRecord> assignedDevices();

    /** Changes whenever the content changes, so the core can rebuild what it derived from it. */
    long version();
}
