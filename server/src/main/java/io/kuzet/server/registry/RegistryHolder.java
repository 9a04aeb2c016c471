package io.kuzet.server.registry;

import io.kuzet.server.core.CoreDirectory;
import io.kuzet.server.ingest.DeviceDirectory;
import io.kuzet.server.journal.Protocol;
import java.util.Collection;

/**
 * Holds the current {@link RegistrySnapshot} and swaps it atomically on reload; serves ingestion (who may log in)
 * and the evaluation core (orders, rules). Thread-safe.
 */
public final class RegistryHolder implements DeviceDirectory, CoreDirectory {
    private volatile RegistrySnapshot snapshot;
    private volatile java.util.function.LongToIntFunction intervalOverride = deviceId -> 0;

    public RegistryHolder(RegistrySnapshot initial) {
        this.snapshot = initial;
    }

    public RegistrySnapshot snapshot() {
        return snapshot;
    }

    public void replace(RegistrySnapshot next) {
        this.snapshot = next;
    }

    @Override
    public DeviceRecord find(Protocol protocol, long deviceNumber) {
        return snapshot.device(protocol.label(), deviceNumber);
    }

    @Override
    public SourceNetworks allowedSources(DeviceRecord device) {
        if (!device.allowedSources().isAny() || device.subjectId() == 0) {
            return device.allowedSources();
        }
        SubjectRecord subject = snapshot.subject(device.subjectId());
        AgencyRecord agency = subject == null ? null : snapshot.agency(subject.agencyId());
        return agency == null ? SourceNetworks.ANY : agency.allowedSources();
    }

    /**
     * An interval that replaces the order's for a device while it returns more than 0 (adaptive supervision's pursuit,
     * so a device logging in during a pursuit keeps reporting fast).
     */
    public void reportingIntervalOverride(java.util.function.LongToIntFunction override) {
        this.intervalOverride = override;
    }

    @Override
    public int reportingIntervalS(DeviceRecord device, long nowMs) {
        int override = intervalOverride.applyAsInt(device.id());
        if (override > 0) {
            return override;
        }
        OrderRecord order = device.subjectId() == 0 ? null : snapshot.activeOrder(device.subjectId(), nowMs);
        return ReportingInterval.forRisk(order == null ? null : order.riskLevel());
    }

    @Override
    public DeviceRecord device(long deviceId) {
        return snapshot.device(deviceId);
    }

    @Override
    public OrderRecord activeOrder(long subjectId, long atMs) {
        return snapshot.activeOrder(subjectId, atMs);
    }

    @Override
    public Collection<DeviceRecord> assignedDevices() {
        return snapshot.assignedDevices();
    }

    @Override
    public long version() {
        return snapshot.version();
    }
}
