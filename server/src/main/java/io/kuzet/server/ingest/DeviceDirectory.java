package io.kuzet.server.ingest;

import io.kuzet.server.journal.Protocol;
import io.kuzet.server.registry.DeviceRecord;
import io.kuzet.server.registry.SourceNetworks;

/** Which devices may connect, and how often they should report. Implementations are thread-safe. */
public interface DeviceDirectory {
    /** The registered device for a protocol and device number (IMEI / Kuzet id), or null. */
    DeviceRecord find(Protocol protocol, long deviceNumber);

    /**
     * The reporting interval the device is told at login: proportional to the risk level of the order in force
     * (high risk reports more often), or the default when no order is in force.
     */
    int reportingIntervalS(DeviceRecord device, long nowMs);

    /** The networks the device may connect from: its own list, else its agency's, else {@link SourceNetworks#ANY}. */
    default SourceNetworks allowedSources(DeviceRecord device) {
        return device.allowedSources();
    }
}
