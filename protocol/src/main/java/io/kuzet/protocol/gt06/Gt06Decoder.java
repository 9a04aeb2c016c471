package io.kuzet.protocol.gt06;

import io.kuzet.protocol.DecodeError;
import io.kuzet.protocol.DeviceEventType;
import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;

import java.util.function.LongSupplier;

/**
 * Decodes whole GT06 frames (as emitted by {@link Gt06FrameDecoder}, CRC already checked) into the shared
 * {@link DeviceMessage} model, and keeps the session state a GT06 connection has: the IMEI from the login, the time
 * zone the login announced and the last charger state.
 *
 * <table>
 *   <caption>Protocol numbers</caption>
 *   <tr><th>number</th><th>message</th><th>result</th><th>content</th></tr>
 *   <tr><td>0x01</td><td>login</td><td>LOGIN</td><td>IMEI, optional type id and time zone ({@link Gt06Login})</td></tr>
 *   <tr><td>0x10, 0x12</td><td>GPS, GPS + cell</td><td>DATA</td><td>one fix ({@link Gt06GpsBlock})</td></tr>
 *   <tr><td>0x22</td><td>GPS + cell (GT06N)</td><td>DATA</td><td>one fix, FLAG_BUFFERED when the last info byte says re-upload</td></tr>
 *   <tr><td>0x16, 0x26</td><td>GPS + cell + status (alarm)</td><td>DATA</td><td>fix (unless the GPS block is empty), status, alarm events</td></tr>
 *   <tr><td>0x13</td><td>status / heartbeat</td><td>DATA</td><td>battery, signal, charging, alarm events ({@link Gt06StatusBlock})</td></tr>
 *   <tr><td>0x19</td><td>cell + status</td><td>DATA</td><td>as 0x13</td></tr>
 *   <tr><td>0x23</td><td>heartbeat (GK310)</td><td>DATA</td><td>charging, signal, alarm events; battery is volts, left unknown</td></tr>
 *   <tr><td>0x15, 0x21, 0x8A, 0x94</td><td>command reply, time request, info</td><td>IGNORED</td><td>nothing to store</td></tr>
 *   <tr><td>other</td><td></td><td>{@link DecodeError#UNKNOWN_TYPE}</td><td></td></tr>
 * </table>
 *
 * <p>Every result sets {@code out.deviceId} to the logged-in IMEI (0 before a login: the server decides what to do
 * with data from a device that has not logged in, see {@link #loggedIn()}) and {@code out.sequence} to the frame's
 * serial number. Alarm events carry the fix time; events of messages without a device time (0x13, 0x19, 0x23, or an
 * alarm whose GPS block is empty) carry the receive time from the injected clock. A charger bit that differs from
 * the previous status report of this connection adds CHARGER_CONNECTED / CHARGER_DISCONNECTED; the first report
 * only sets {@code out.charging}.
 *
 * <p>GPS times are taken as UTC, as Concox documents and the reference frames confirm; the zone a login announces is
 * kept ({@link #timeZoneOffsetMinutes()}) but not applied.
 *
 * <p>One instance per connection; not thread-safe. Decoding allocates nothing (errors aside) and reads by absolute
 * index, so the frame's reader index is left unchanged.
 */
public final class Gt06Decoder {
    /** What a decoded frame was. */
    public enum Result {
        /** A login: {@link #imei()} is now set; {@code out} holds only the device id and serial. */
        LOGIN,
        /** Positions, status or events were put in {@code out}. */
        DATA,
        /** A known message with nothing to store (time request, info, command reply); it may still want a reply. */
        IGNORED
    }

    private static final int CHARGING_UNKNOWN = -1;

    private final LongSupplier clockMs;
    private long imei;
    private boolean loggedIn;
    private int timeZoneOffsetMinutes = Gt06Login.NO_TIME_ZONE;
    private int lastCharging = CHARGING_UNKNOWN;

    /** A decoder stamping timeless events with the system clock. */
    public Gt06Decoder() {
        this(System::currentTimeMillis);
    }

    /** A decoder stamping timeless events with {@code clockMs} (epoch milliseconds). */
    public Gt06Decoder(LongSupplier clockMs) {
        this.clockMs = clockMs;
    }

    public static int protocolNumber(ByteBuf frame) {
        return Gt06Frame.protocolNumber(frame);
    }

    public static int serial(ByteBuf frame) {
        return Gt06Frame.serial(frame);
    }

    public boolean loggedIn() {
        return loggedIn;
    }

    /** The IMEI of the last login on this connection, 0 before one. */
    public long imei() {
        return imei;
    }

    /** The zone offset the login announced, or {@link Gt06Login#NO_TIME_ZONE}. */
    public int timeZoneOffsetMinutes() {
        return timeZoneOffsetMinutes;
    }

    /**
     * Decodes {@code frame} into {@code out} (cleared first).
     *
     * @throws ProtocolException UNKNOWN_TYPE, TRUNCATED when the info is shorter than the message needs, BAD_FIELD,
     *                           COORDINATE_OUT_OF_RANGE, TIME_OUT_OF_RANGE
     */
    public Result decode(ByteBuf frame, DeviceMessage out) {
        out.clear();
        int protocol = Gt06Frame.protocolNumber(frame);
        int info = Gt06Frame.infoStart(frame);
        int infoEnd = Gt06Frame.serialIndex(frame);
        int infoLength = infoEnd - info;
        out.deviceId = imei;
        out.sequence = Gt06Frame.serial(frame);
        switch (protocol) {
            case Gt06ProtocolNumber.LOGIN -> {
                require(protocol, infoLength, Gt06Login.BASE_BYTES);
                long newImei = Gt06Login.imei(frame, info);
                if (newImei != imei) {
                    lastCharging = CHARGING_UNKNOWN;
                }
                imei = newImei;
                loggedIn = true;
                timeZoneOffsetMinutes = Gt06Login.timeZoneOffsetMinutes(frame, info, infoLength);
                out.deviceId = imei;
                return Result.LOGIN;
            }
            case Gt06ProtocolNumber.GPS, Gt06ProtocolNumber.GPS_LBS -> {
                require(protocol, infoLength, Gt06GpsBlock.BYTES);
                Gt06GpsBlock.read(frame, info, out.addFix());
                return Result.DATA;
            }
            case Gt06ProtocolNumber.GPS_LBS_2 -> {
                require(protocol, infoLength, Gt06GpsBlock.BYTES);
                Fix fix = out.addFix();
                Gt06GpsBlock.read(frame, info, fix);
                // cell block (8-9 bytes), ACC, upload mode, then re-upload flag as the last info byte
                if (infoLength >= Gt06GpsBlock.BYTES + 11 && frame.getUnsignedByte(infoEnd - 1) == 1) {
                    fix.flags |= Fix.FLAG_BUFFERED;
                }
                return Result.DATA;
            }
            case Gt06ProtocolNumber.GPS_LBS_STATUS, Gt06ProtocolNumber.GPS_LBS_STATUS_2 -> {
                require(protocol, infoLength, Gt06GpsBlock.BYTES + Gt06StatusBlock.BYTES);
                long eventTimeMs;
                if (Gt06GpsBlock.isEmpty(frame, info)) {
                    eventTimeMs = clockMs.getAsLong();
                } else {
                    Fix fix = out.addFix();
                    Gt06GpsBlock.read(frame, info, fix);
                    eventTimeMs = fix.timeMs;
                    out.statusTimeMs = fix.timeMs;
                }
                status(frame, infoEnd - Gt06StatusBlock.BYTES, out, eventTimeMs);
                return Result.DATA;
            }
            case Gt06ProtocolNumber.STATUS, Gt06ProtocolNumber.LBS_STATUS -> {
                require(protocol, infoLength, Gt06StatusBlock.BYTES);
                status(frame, infoEnd - Gt06StatusBlock.BYTES, out, clockMs.getAsLong());
                return Result.DATA;
            }
            case Gt06ProtocolNumber.HEARTBEAT_2 -> {
                // TERM_INFO | VOLTAGE u16 (0.01 V) | GSM | ALARM | LANGUAGE
                require(protocol, infoLength, 6);
                long nowMs = clockMs.getAsLong();
                int termInfo = frame.getUnsignedByte(info);
                out.heartbeat = true;
                out.charging = (termInfo & Gt06StatusBlock.TERM_CHARGING) != 0;
                out.signalPercent = Gt06StatusBlock.gsmPercent(frame.getUnsignedByte(info + 3));
                Gt06StatusBlock.addOnce(out, nowMs, Gt06Alarm.fromTermInfo(termInfo));
                Gt06StatusBlock.addOnce(out, nowMs, Gt06Alarm.fromAlarmCode(frame.getUnsignedByte(info + 4)));
                chargerChange(out, nowMs);
                return Result.DATA;
            }
            case Gt06ProtocolNumber.STRING, Gt06ProtocolNumber.COMMAND_REPLY, Gt06ProtocolNumber.TIME_REQUEST,
                 Gt06ProtocolNumber.INFO -> {
                return Result.IGNORED;
            }
            default -> throw new ProtocolException(DecodeError.UNKNOWN_TYPE,
                    String.format("GT06 protocol number 0x%02X", protocol));
        }
    }

    private void status(ByteBuf frame, int index, DeviceMessage out, long eventTimeMs) {
        out.heartbeat = true;
        Gt06StatusBlock.read(frame, index, out, eventTimeMs);
        chargerChange(out, eventTimeMs);
    }

    private void chargerChange(DeviceMessage out, long eventTimeMs) {
        int charging = out.charging ? 1 : 0;
        if (lastCharging != CHARGING_UNKNOWN && lastCharging != charging) {
            out.addEvent(eventTimeMs, out.charging ? DeviceEventType.CHARGER_CONNECTED : DeviceEventType.CHARGER_DISCONNECTED,
                    DeviceMessage.UNKNOWN);
        }
        lastCharging = charging;
    }

    private static void require(int protocol, int infoLength, int needed) {
        if (infoLength < needed) {
            throw new ProtocolException(DecodeError.TRUNCATED, String.format(
                    "GT06 protocol 0x%02X needs %d info bytes, frame has %d", protocol, needed, infoLength));
        }
    }
}
