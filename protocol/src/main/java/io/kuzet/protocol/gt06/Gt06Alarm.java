package io.kuzet.protocol.gt06;

import io.kuzet.protocol.DeviceEventType;

/**
 * Maps GT06 alarm codes into Kuzet {@link DeviceEventType}s. Two sources carry alarms: the alarm byte of the status
 * block, and bits 3-5 of the terminal-information byte. Codes not listed carry nothing a supervision order acts on
 * (vibration, vendor geofences, overspeed, fall, ...) and map to {@code null}.
 *
 * <table>
 *   <caption>Alarm byte</caption>
 *   <tr><th>code</th><th>vendor meaning</th><th>Kuzet event</th></tr>
 *   <tr><td>0x01</td><td>SOS</td><td>SOS</td></tr>
 *   <tr><td>0x02</td><td>power cut</td><td>EXTERNAL_POWER_CUT</td></tr>
 *   <tr><td>0x0C, 0x13, 0x25, 0x32</td><td>tampering (light sensor / enclosure, by model)</td><td>CASE_TAMPER</td></tr>
 *   <tr><td>0x0E, 0x0F, 0x19</td><td>low (external / internal) battery</td><td>BATTERY_LOW</td></tr>
 *   <tr><td>0x11</td><td>power off</td><td>POWER_OFF</td></tr>
 *   <tr><td>0x18</td><td>removing (device taken off the body, strap open)</td><td>STRAP_TAMPER</td></tr>
 * </table>
 *
 * <table>
 *   <caption>Terminal-information bits 3-5</caption>
 *   <tr><th>bits</th><th>vendor meaning</th><th>Kuzet event</th></tr>
 *   <tr><td>010</td><td>power cut</td><td>EXTERNAL_POWER_CUT</td></tr>
 *   <tr><td>011</td><td>low battery</td><td>BATTERY_LOW</td></tr>
 *   <tr><td>100</td><td>SOS</td><td>SOS</td></tr>
 *   <tr><td>111</td><td>removing</td><td>STRAP_TAMPER</td></tr>
 * </table>
 *
 * <p>"Removing" is a strap event because a bracelet cannot leave the body with the strap closed; the other tamper
 * codes come from enclosure sensors, hence CASE_TAMPER. Stateless and thread-safe; a table lookup.
 */
public final class Gt06Alarm {
    private static final DeviceEventType[] BY_ALARM_CODE = new DeviceEventType[256];
    private static final DeviceEventType[] BY_TERM_INFO_BITS = new DeviceEventType[8];

    static {
        BY_ALARM_CODE[0x01] = DeviceEventType.SOS;
        BY_ALARM_CODE[0x02] = DeviceEventType.EXTERNAL_POWER_CUT;
        BY_ALARM_CODE[0x0C] = DeviceEventType.CASE_TAMPER;
        BY_ALARM_CODE[0x13] = DeviceEventType.CASE_TAMPER;
        BY_ALARM_CODE[0x25] = DeviceEventType.CASE_TAMPER;
        BY_ALARM_CODE[0x32] = DeviceEventType.CASE_TAMPER;
        BY_ALARM_CODE[0x0E] = DeviceEventType.BATTERY_LOW;
        BY_ALARM_CODE[0x0F] = DeviceEventType.BATTERY_LOW;
        BY_ALARM_CODE[0x19] = DeviceEventType.BATTERY_LOW;
        BY_ALARM_CODE[0x11] = DeviceEventType.POWER_OFF;
        BY_ALARM_CODE[0x18] = DeviceEventType.STRAP_TAMPER;

        BY_TERM_INFO_BITS[0b010] = DeviceEventType.EXTERNAL_POWER_CUT;
        BY_TERM_INFO_BITS[0b011] = DeviceEventType.BATTERY_LOW;
        BY_TERM_INFO_BITS[0b100] = DeviceEventType.SOS;
        BY_TERM_INFO_BITS[0b111] = DeviceEventType.STRAP_TAMPER;
    }

    /** Alarm code a device sends for "removing" (strap open). */
    public static final int REMOVING = 0x18;
    /** Alarm code a device sends for SOS. */
    public static final int SOS = 0x01;
    /** Alarm code a device sends for a tamper sensor. */
    public static final int TAMPERING = 0x13;
    /** Alarm code a device sends for low battery. */
    public static final int LOW_BATTERY = 0x19;
    /** Alarm code a device sends for external power cut. */
    public static final int POWER_CUT = 0x02;
    /** Alarm code a device sends when switched off. */
    public static final int POWER_OFF = 0x11;

    private Gt06Alarm() {
    }

    /** The event for an alarm-byte value (0..255), or {@code null}. */
    public static DeviceEventType fromAlarmCode(int code) {
        return BY_ALARM_CODE[code & 0xFF];
    }

    /** The event for the alarm bits of a terminal-information byte, or {@code null}. */
    public static DeviceEventType fromTermInfo(int termInfo) {
        return BY_TERM_INFO_BITS[(termInfo >> 3) & 0b111];
    }
}
