package io.kuzet.simulator.device;

/**
 * Callbacks from a {@link KuzetDevice}, invoked on the device's event loop: keep them short and non-blocking.
 */
public interface DeviceListener {
    DeviceListener NONE = new DeviceListener() { };

    /** ACK covering message {@code sequence}, which carried {@code fixes} fixes, {@code rttNanos} after it was last sent. */
    default void onAcked(KuzetDevice device, long sequence, int fixes, long rttNanos) {
    }

    /** LOGIN_RESULT OK; the server had stored everything up to {@code lastStoredSequence}. */
    default void onLoggedIn(KuzetDevice device, long lastStoredSequence) {
    }

    /** Login refused or the connection failed or closed. */
    default void onDisconnected(KuzetDevice device, String reason) {
    }
}
