package io.kuzet.server.command;

/**
 * What Kuzet can ask of a bracelet, independent of the protocol. Each protocol's encoder maps a kind to its own frame
 * or answers that the device cannot do it (the command then ends UNSUPPORTED without being sent).
 */
public enum CommandKind {
    /** Report a fix every {@code argument} seconds until told otherwise (pursuit mode and back). */
    SET_REPORTING_INTERVAL,
    /** Report a fix now ({@code argument} unused). */
    LOCATE_NOW,
    /** Vibrate or beep to warn the wearer; {@code argument} is the duration in milliseconds. */
    VIBRATE,
    /** Report battery, charging and strap state now ({@code argument} unused). */
    REQUEST_STATUS
}
