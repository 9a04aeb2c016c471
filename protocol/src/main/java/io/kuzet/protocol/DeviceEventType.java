package io.kuzet.protocol;

/**
 * The one typed vocabulary that every vendor's alarms and status bits are mapped into.
 * The numeric {@link #code()} is the Kuzet protocol's DEVICE_EVENT wire value (1..14; 15..17 are the COMMAND_RESULT
 * statuses, stored with the events but never sent in a DEVICE_EVENT) and must never change: it is journaled and stored.
 */
public enum DeviceEventType {
    STRAP_TAMPER(1),          // strap cut or opened / device removed from the body
    STRAP_RESTORED(2),        // strap closed again after a tamper
    CASE_TAMPER(3),           // enclosure opened
    BATTERY_LOW(4),           // value = battery percent
    BATTERY_CRITICAL(5),      // value = battery percent
    CHARGER_CONNECTED(6),
    CHARGER_DISCONNECTED(7),
    BEACON_IN_RANGE(8),       // home beacon seen again; value = beacon id (low 16 bits) or 0
    BEACON_OUT_OF_RANGE(9),   // home beacon lost; value = beacon id (low 16 bits) or 0
    POWER_ON(10),
    POWER_OFF(11),
    EXTERNAL_POWER_CUT(12),   // external supply removed (vendors' "power cut")
    NO_MOTION(13),            // no movement for the device's configured period
    SOS(14),                  // wearer pressed the SOS / call button
    // The answer to a server COMMAND (Kuzet COMMAND_RESULT, docs/protocol.md §5), one type per status; value = the
    // command id (u32, stored in its int bits). Never valid in a DEVICE_EVENT frame: the Kuzet decoder refuses them.
    COMMAND_DONE(15),
    COMMAND_REJECTED(16),
    COMMAND_UNSUPPORTED(17);

    private static final DeviceEventType[] BY_CODE = new DeviceEventType[32];

    static {
        for (DeviceEventType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;

    DeviceEventType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** True for the {@code COMMAND_*} types, which answer a server command instead of reporting a device event. */
    public boolean isCommandResult() {
        return this == COMMAND_DONE || this == COMMAND_REJECTED || this == COMMAND_UNSUPPORTED;
    }

    /** The type of a Kuzet COMMAND_RESULT status (0 done, 1 rejected, 2 unsupported), or {@code null} for others. */
    public static DeviceEventType commandResult(int status) {
        return switch (status) {
            case 0 -> COMMAND_DONE;
            case 1 -> COMMAND_REJECTED;
            case 2 -> COMMAND_UNSUPPORTED;
            default -> null;
        };
    }

    /** The type for a wire code, or {@code null} when the code is not assigned. */
    public static DeviceEventType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
