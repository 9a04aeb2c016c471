package io.kuzet.protocol.watch;

import io.kuzet.protocol.DeviceEventType;
import io.kuzet.protocol.DeviceMessage;

/**
 * Maps the 32-bit status word that ends the fixed fields of Watch location and alarm messages into Kuzet
 * {@link DeviceEventType}s. Bits not listed (fences, motion, fall, ...) carry nothing a supervision order acts on.
 *
 * <table>
 *   <caption>Status bits</caption>
 *   <tr><th>bit</th><th>vendor meaning</th><th>Kuzet event</th></tr>
 *   <tr><td>0, 17</td><td>low battery</td><td>BATTERY_LOW (value: battery percent)</td></tr>
 *   <tr><td>14</td><td>power cut (charger / external supply removed)</td><td>EXTERNAL_POWER_CUT</td></tr>
 *   <tr><td>16</td><td>SOS</td><td>SOS</td></tr>
 *   <tr><td>20</td><td>removing (watch / strap taken off)</td><td>STRAP_TAMPER</td></tr>
 * </table>
 *
 * <p>Stateless and thread-safe; a few bit tests.
 */
public final class WatchStatus {
    public static final int LOW_BATTERY = 1;
    public static final int POWER_CUT = 1 << 14;
    public static final int SOS = 1 << 16;
    public static final int LOW_BATTERY_2 = 1 << 17;
    public static final int REMOVING = 1 << 20;

    private WatchStatus() {
    }

    /** Adds the events of {@code status} to {@code out}, stamped {@code timeMs}. */
    public static void addEvents(int status, DeviceMessage out, long timeMs) {
        if ((status & (LOW_BATTERY | LOW_BATTERY_2)) != 0) {
            out.addEvent(timeMs, DeviceEventType.BATTERY_LOW, out.batteryPercent);
        }
        if ((status & POWER_CUT) != 0) {
            out.addEvent(timeMs, DeviceEventType.EXTERNAL_POWER_CUT, DeviceMessage.UNKNOWN);
        }
        if ((status & SOS) != 0) {
            out.addEvent(timeMs, DeviceEventType.SOS, DeviceMessage.UNKNOWN);
        }
        if ((status & REMOVING) != 0) {
            out.addEvent(timeMs, DeviceEventType.STRAP_TAMPER, DeviceMessage.UNKNOWN);
        }
    }
}
