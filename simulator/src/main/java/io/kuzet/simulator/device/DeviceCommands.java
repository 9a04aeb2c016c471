package io.kuzet.simulator.device;

/**
 * What a simulated bracelet does when the server commands it, whatever the protocol: Kuzet COMMAND frames, GT06
 * online commands (0x80 {@code TIMER,<s>#}, {@code WHERE#}), Watch text commands ({@code UPLOAD,<s>}, {@code CR},
 * {@code FIND}). Called on the device's event loop: implementations only record what to do (the driver acts on it at
 * its next step) and must not block.
 */
public interface DeviceCommands {
    /** Ignores every command (the device still answers it as done). */
    DeviceCommands IGNORE = new DeviceCommands() { };

    /** Report a fix every {@code seconds} until told otherwise; 0 = back to the interval of the order (a new login). */
    default void setReportingInterval(int seconds) {
    }

    /** Report a fix now. */
    default void locateNow() {
    }

    /** Vibrate or ring for {@code millis} (0: the device's own length) to warn the wearer. */
    default void vibrate(int millis) {
    }
}
