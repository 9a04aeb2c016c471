package io.kuzet.protocol.watch;

import io.kuzet.protocol.AccuracyEstimate;
import io.kuzet.protocol.CivilTime;
import io.kuzet.protocol.DecodeError;
import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;

import java.util.function.LongSupplier;

/**
 * Decodes whole Watch frames (as emitted by {@link WatchFrameDecoder}) into the shared {@link DeviceMessage} model.
 *
 * <table>
 *   <caption>Message types</caption>
 *   <tr><th>type</th><th>result</th><th>content</th></tr>
 *   <tr><td>LK[,steps,rolls,battery%]</td><td>HEARTBEAT</td><td>heartbeat, battery percent when present</td></tr>
 *   <tr><td>UD, UD3, UD_LTE, UD_WCDMA, ...</td><td>LOCATION</td><td>one fix, battery, signal, status-word events</td></tr>
 *   <tr><td>UD2</td><td>LOCATION</td><td>as UD, fix flagged FLAG_BUFFERED (blind-area replay)</td></tr>
 *   <tr><td>AL, AL_LTE, AL_WCDMA, ...</td><td>ALARM</td><td>as UD; the device expects a reply</td></tr>
 *   <tr><td>TKQ, INIT, PULSE, TEMP, ...</td><td>IGNORED</td><td>nothing to store</td></tr>
 *   <tr><td>other</td><td>{@link DecodeError#UNKNOWN_TYPE}</td><td></td></tr>
 * </table>
 *
 * <p>Location fields, in order: {@code ddMMyy, HHmmss, A|V, lat, N|S, lon, E|W, speed km/h, course, altitude m,
 * satellites, GSM signal %, battery %, steps, rolls, status (hex)}, then cell and Wi-Fi lists that Kuzet ignores.
 * Times are UTC. A date and time of all zeros (no fix since power-on) gives no fix, and the status events are then
 * stamped with the receive time from the injected clock, so an alarm is never lost to an empty position.
 * Status bits map as documented in {@link WatchStatus}.
 *
 * <p>{@code out.deviceId} is the numeric device id (a non-numeric id is {@link DecodeError#BAD_FIELD});
 * {@code out.sequence} is the index field of the index form, otherwise {@link DeviceMessage#NO_SEQUENCE}.
 *
 * <p>One instance per connection (or per thread); not thread-safe. Numbers are parsed straight from the buffer:
 * decoding allocates nothing unless it refuses the frame, and the frame's reader index is left unchanged.
 */
public final class WatchDecoder {
    /** What a decoded frame was. */
    public enum Result {
        HEARTBEAT,
        LOCATION,
        ALARM,
        /** A known message with nothing to store; it may still want a reply ({@link WatchEncoder#writeReply}). */
        IGNORED
    }

    private static final String LOCATION = "Watch location";

    private final WatchFrame frame = new WatchFrame();
    private final WatchFields fields = new WatchFields();
    private final LongSupplier clockMs;

    /** A decoder stamping timeless events with the system clock. */
    public WatchDecoder() {
        this(System::currentTimeMillis);
    }

    /** A decoder stamping timeless events with {@code clockMs} (epoch milliseconds). */
    public WatchDecoder(LongSupplier clockMs) {
        this.clockMs = clockMs;
    }

    /**
     * Decodes {@code buf} (one whole frame) into {@code out} (cleared first).
     *
     * @throws ProtocolException BAD_FRAMING, UNKNOWN_TYPE, BAD_FIELD, TRUNCATED (a field missing),
     *                           COORDINATE_OUT_OF_RANGE, TIME_OUT_OF_RANGE
     */
    public Result decode(ByteBuf buf, DeviceMessage out) {
        out.clear();
        WatchFrame f = frame.wrap(buf);
        out.deviceId = f.deviceId();
        int index = f.index();
        out.sequence = index == WatchFrame.NO_INDEX ? DeviceMessage.NO_SEQUENCE : index;
        if (f.typeIs(WatchMessageType.LK)) {
            heartbeat(f, out);
            return Result.HEARTBEAT;
        }
        if (f.typeFamily(WatchMessageType.AL)) {
            location(f, out, false);
            return Result.ALARM;
        }
        if (f.typeIs(WatchMessageType.UD2)) {
            location(f, out, true);
            return Result.LOCATION;
        }
        if (f.typeFamily(WatchMessageType.UD) || f.typeIs(WatchMessageType.UD3)) {
            location(f, out, false);
            return Result.LOCATION;
        }
        for (byte[] ignored : WatchMessageType.IGNORED) {
            if (f.typeIs(ignored)) {
                return Result.IGNORED;
            }
        }
        throw new ProtocolException(DecodeError.UNKNOWN_TYPE, "Watch message type of " + (f.typeEnd() - f.contentStart())
                + " chars at offset " + (f.contentStart() - buf.readerIndex()));
    }

    private void heartbeat(WatchFrame f, DeviceMessage out) {
        out.heartbeat = true;
        WatchFields c = fields.wrap(f.buffer(), f.typeEnd(), f.contentEnd(), "Watch LK");
        if (c.hasNext()) {
            c.next("steps").next("rolls");
            if (c.hasNext()) {
                out.batteryPercent = percentOrUnknown(c.next("battery").integer("battery"));
            }
        }
    }

    private void location(WatchFrame f, DeviceMessage out, boolean buffered) {
        WatchFields c = fields.wrap(f.buffer(), f.typeEnd(), f.contentEnd(), LOCATION);
        c.next("date");
        int day = c.twoDigits(0, "date");
        int month = c.twoDigits(2, "date");
        int year = c.twoDigits(4, "date");
        c.next("time");
        int hour = c.twoDigits(0, "time");
        int minute = c.twoDigits(2, "time");
        int second = c.twoDigits(4, "time");
        boolean valid = c.next("validity").firstChar() == 'A';
        long latE7 = c.next("latitude").scaled(7, "latitude");
        boolean south = c.next("N/S").firstChar() == 'S';
        long lonE7 = c.next("longitude").scaled(7, "longitude");
        boolean west = c.next("E/W").firstChar() == 'W';
        if (Math.abs(latE7) > 900_000_000L || Math.abs(lonE7) > 1_800_000_000L) {
            throw new ProtocolException(DecodeError.COORDINATE_OUT_OF_RANGE,
                    "Watch latitude " + latE7 / 1e7 + ", longitude " + lonE7 / 1e7 + " degrees");
        }
        long speedKmhX10 = c.next("speed").scaled(1, "speed");
        long course = c.next("course").scaled(0, "course");
        long altitudeM = c.next("altitude").scaled(0, "altitude");
        int satellites = c.next("satellites").integer("satellites");
        out.signalPercent = percentOrUnknown(c.next("signal").integer("signal"));
        out.batteryPercent = percentOrUnknown(c.next("battery").integer("battery"));
        c.next("steps").next("rolls");
        int status = c.next("status").hex("status");
        if (speedKmhX10 < 0 || speedKmhX10 > 20_000 || course < 0 || course > 360) {
            throw new ProtocolException(DecodeError.BAD_FIELD, "Watch speed " + speedKmhX10 / 10.0 + " km/h, course " + course);
        }
        long eventTimeMs;
        if (day == 0 && month == 0 && year == 0 && hour == 0 && minute == 0 && second == 0) {
            eventTimeMs = clockMs.getAsLong();
        } else {
            Fix fix = out.addFix();
            fix.timeMs = CivilTime.toEpochMs(2000 + year, month, day, hour, minute, second);
            fix.latE7 = (int) (south ? -latE7 : latE7);
            fix.lonE7 = (int) (west ? -lonE7 : lonE7);
            fix.speedKmhX10 = (int) speedKmhX10;
            fix.headingDeg = (int) (course % 360);
            fix.altitudeM = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, altitudeM));
            fix.satellites = satellites;
            fix.flags = (valid ? Fix.FLAG_VALID : 0) | (buffered ? Fix.FLAG_BUFFERED : 0);
            // from the satellite count; the signal field is the mobile network's, it says nothing about GNSS
            AccuracyEstimate.fill(fix);
            eventTimeMs = fix.timeMs;
        }
        WatchStatus.addEvents(status, out, eventTimeMs);
    }

    private static int percentOrUnknown(int value) {
        return value >= 0 && value <= 100 ? value : DeviceMessage.UNKNOWN;
    }
}
