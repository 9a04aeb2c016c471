package io.kuzet.simulator.quality;

import io.kuzet.server.command.CommandKind;
import io.kuzet.server.command.CommandRequest;
import io.kuzet.server.command.DeviceCommandRequests;
import io.kuzet.simulator.device.DeviceCommands;
import io.kuzet.simulator.device.FleetDriver;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The quality run's stand-in for the command service: every command the core asks for reaches the simulated bracelet
 * at once and without loss (each de-duplication key once, as the outbox would), so the run measures what adaptive
 * supervision can achieve; the wire and the outbox are tested on their own. Registry device ids are subject ids
 * ({@code RegistryMapping}). Called on the core's thread; thread-safe.
 */
final class InstantCommandDelivery implements DeviceCommandRequests {
    private final AtomicReference<FleetDriver> driver = new AtomicReference<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    final AtomicLong pursuits = new AtomicLong();
    final AtomicLong pursuitEnds = new AtomicLong();
    final AtomicLong warnings = new AtomicLong();
    final AtomicLong chargeReminders = new AtomicLong();

    void deliverTo(FleetDriver fleetDriver) {
        driver.set(fleetDriver);
    }

    @Override
    public void request(CommandRequest r) {
        FleetDriver d = driver.get();
        if (d == null || (r.dedupKey() != null && !seen.add(r.deviceId() + "/" + r.dedupKey()))) {
            return;
        }
        String key = r.dedupKey() == null ? "" : r.dedupKey();
        (key.startsWith("pursuit-on:") ? pursuits : key.startsWith("pursuit-off:") ? pursuitEnds
                : key.startsWith("warn:") ? warnings : chargeReminders).incrementAndGet();
        DeviceCommands device = d.commandsFor(r.deviceId());
        if (r.kind() == CommandKind.SET_REPORTING_INTERVAL) {
            device.setReportingInterval((int) r.argument());
        } else if (r.kind() == CommandKind.LOCATE_NOW) {
            device.locateNow();
        } else if (r.kind() == CommandKind.VIBRATE) {
            device.vibrate((int) r.argument());
        }
    }
}
