package io.kuzet.protocol.gt06;

import io.kuzet.protocol.DeviceEventType;
import io.kuzet.protocol.DeviceMessage;
import io.netty.buffer.ByteBuf;

/**
 * The 5-byte status block that ends the info of heartbeat (0x13), LBS+status (0x19) and alarm (0x16, 0x26) messages.
 * Its position is taken from the end of the info, because the cell (LBS) block before it varies by model (1- or
 * 2-byte MNC, 3- or 4-byte cell id, a length byte that counts itself or not).
 *
 * <pre>
 *  0           1         2     3       4
 *  TERM_INFO | VOLTAGE | GSM | ALARM | LANGUAGE
 *  TERM_INFO bits: 0 armed, 1 ACC, 2 charging, 3-5 alarm (see {@link Gt06Alarm}), 6 GPS on, 7 output cut
 *  VOLTAGE: level 0..6 (0 = off .. 6 = full); some models send a battery percent here instead
 *  GSM: level 0..4
 * </pre>
 *
 * <p>Stateless and thread-safe; allocates nothing.
 */
public final class Gt06StatusBlock {
    /** Size of the block in bytes. */
    public static final int BYTES = 5;
    /** Terminal-information bit: charger connected. */
    public static final int TERM_CHARGING = 1 << 2;
    /** Terminal-information bit: GPS tracking on. */
    public static final int TERM_GPS_ON = 1 << 6;

    private Gt06StatusBlock() {
    }

    /**
     * Sets battery, signal and charging on {@code out} and adds the alarm events of the block, stamped
     * {@code eventTimeMs}. Returns the charging bit.
     */
    public static boolean read(ByteBuf buf, int index, DeviceMessage out, long eventTimeMs) {
        int termInfo = buf.getUnsignedByte(index);
        out.batteryPercent = batteryPercent(buf.getUnsignedByte(index + 1));
        out.signalPercent = gsmPercent(buf.getUnsignedByte(index + 2));
        out.charging = (termInfo & TERM_CHARGING) != 0;
        addOnce(out, eventTimeMs, Gt06Alarm.fromTermInfo(termInfo));
        addOnce(out, eventTimeMs, Gt06Alarm.fromAlarmCode(buf.getUnsignedByte(index + 3)));
        return out.charging;
    }

    /**
     * Voltage level 0..6 scaled to percent (5 -> 83). Values 7..100 can only be a percent (models such as the
     * SeeWorld and 4-byte-cell variants send one); anything higher is unknown.
     */
    static int batteryPercent(int voltage) {
        if (voltage <= 6) {
            return voltage * 100 / 6;
        }
        return voltage <= 100 ? voltage : DeviceMessage.UNKNOWN;
    }

    /** GSM level 0..4 scaled to percent; other values are model-specific raw readings and stay unknown. */
    static int gsmPercent(int gsm) {
        return gsm <= 4 ? gsm * 25 : DeviceMessage.UNKNOWN;
    }

    /** Adds {@code type} unless null or already present: term-info bits and alarm byte often say the same thing. */
    static void addOnce(DeviceMessage out, long timeMs, DeviceEventType type) {
        if (type == null) {
            return;
        }
        for (int i = 0; i < out.eventCount(); i++) {
            if (out.eventType(i) == type) {
                return;
            }
        }
        out.addEvent(timeMs, type, type == DeviceEventType.BATTERY_LOW ? out.batteryPercent : DeviceMessage.UNKNOWN);
    }
}
