package io.kuzet.simulator.device;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.kuzet.KuzetEncoder;
import java.util.concurrent.CompletableFuture;

/** A {@link KuzetDevice} as a {@link Bracelet}: positions, heartbeats and events with sequence-numbered acks. */
final class KuzetBracelet implements Bracelet {
    private final KuzetDevice device;

    KuzetBracelet(KuzetDevice device) {
        this.device = device;
    }

    @Override
    public CompletableFuture<Long> connect() {
        return device.connect();
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return device.disconnect();
    }

    @Override
    public void sendFix(DeviceMessage msg) {
        device.submitAsync((out, seq) -> KuzetEncoder.writePositionBatch(out, seq, msg), 1);
        if (msg.eventCount() > 0) {
            device.submitAsync((out, seq) -> KuzetEncoder.writeDeviceEvents(out, seq, msg), 0);
        }
    }

    @Override
    public void sendHeartbeat(long timeMs, int batteryPercent, boolean charging) {
        device.submitAsync((out, seq) -> KuzetEncoder.writeHeartbeat(out, seq, timeMs, batteryPercent, 70, charging), 0);
    }

    @Override
    public void sendEvents(DeviceMessage events) {
        device.submitAsync((out, seq) -> KuzetEncoder.writeDeviceEvents(out, seq, events), 0);
    }

    @Override
    public void obey(DeviceCommands commands) {
        device.obey(commands);
    }

    @Override
    public CompletableFuture<Long> allAcked() {
        return device.allAcked();
    }
}
