package io.kuzet.simulator.device;

import io.kuzet.protocol.DeviceMessage;
import java.util.concurrent.CompletableFuture;

/**
 * What the {@link FleetDriver} needs from a virtual bracelet, whatever its protocol: connect, send a fix, a heartbeat,
 * device events, and say when the server has taken everything sent so far. Messages submitted while disconnected are
 * kept and sent after the next {@link #connect}. Thread-safe: work is handed to the device's event loop.
 */
public interface Bracelet {
    CompletableFuture<Long> connect();

    CompletableFuture<Void> disconnect();

    /** One message holding one fix (and possibly events); {@code msg} is not reused by the caller. */
    void sendFix(DeviceMessage msg);

    void sendHeartbeat(long timeMs, int batteryPercent, boolean charging);

    /** Device events only (battery); protocols without such events ignore them. */
    void sendEvents(DeviceMessage events);

    /** Where commands from the server go; the device answers each in its protocol's way. */
    void obey(DeviceCommands commands);

    /** Completes when the server has stored (acked or answered after) everything sent while connected. */
    CompletableFuture<Long> allAcked();
}
