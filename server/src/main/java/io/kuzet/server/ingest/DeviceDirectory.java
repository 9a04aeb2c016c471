package io.kuzet.server.ingest;

import io.kuzet.server.journal.Protocol;
import io.kuzet.server.registry.DeviceRecord;

/** Which devices may connect: the registered device for a protocol and device number (IMEI / Kuzet id), or null. */
@FunctionalInterface
public interface DeviceDirectory {
    DeviceRecord find(Protocol protocol, long deviceNumber);
}
