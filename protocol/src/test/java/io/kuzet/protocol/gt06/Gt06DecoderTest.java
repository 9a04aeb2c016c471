package io.kuzet.protocol.gt06;

import io.kuzet.protocol.DecodeError;
import io.kuzet.protocol.DeviceEventType;
import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.protocol.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Gt06DecoderTest {
    static final long NOW_MS = Instant.parse("2026-01-02T03:04:05Z").toEpochMilli();
    static final long IMEI = 358240051111110L;

    private final Gt06Decoder decoder = new Gt06Decoder(() -> NOW_MS);
    private final DeviceMessage out = new DeviceMessage();
    private final List<ByteBuf> buffers = new ArrayList<>();

    @AfterEach
    void releaseBuffers() {
        buffers.forEach(ByteBuf::release);
    }

    @Test
    void dataBeforeLoginDecodesWithoutDeviceIdSoTheServerCanRefuseIt() {
        assertEquals(Gt06Decoder.Result.DATA, decoder.decode(frame(b -> Gt06Encoder.writeLocation0x12(b, fix(), 7)), out));
        assertFalse(decoder.loggedIn());
        assertEquals(0, out.deviceId);
        assertEquals(7, out.sequence);
    }

    @Test
    void loginSetsTheImeiCarriedByEveryLaterMessage() {
        assertEquals(Gt06Decoder.Result.LOGIN, decoder.decode(frame(b -> Gt06Encoder.writeLogin(b, IMEI, 1)), out));
        assertTrue(decoder.loggedIn());
        assertEquals(IMEI, decoder.imei());
        decoder.decode(frame(b -> Gt06Encoder.writeHeartbeat0x13(b, 0x40, 6, 4, 2)), out);
        assertEquals(IMEI, out.deviceId);
        assertEquals(2, out.sequence);
        assertEquals(100, out.batteryPercent);
        assertEquals(100, out.signalPercent);
        assertTrue(out.heartbeat);
    }

    @Test
    void nonBcdImeiIsABadField() {
        ByteBuf login = frame(b -> Gt06Encoder.writeLogin(b, IMEI, 1));
        patch(login, 4, 0xAB);
        assertRefused(DecodeError.BAD_FIELD, login);
    }

    @Test
    void unknownProtocolNumberIsRefusedAsUnknownType() {
        assertRefused(DecodeError.UNKNOWN_TYPE, frame(b -> Gt06Encoder.writeAck(b, false, 0x77, 1)));
    }

    @Test
    void locationWithoutItsGpsBlockIsTruncated() {
        assertRefused(DecodeError.TRUNCATED, frame(b -> Gt06Encoder.writeAck(b, false, Gt06ProtocolNumber.GPS_LBS, 1)));
    }

    @Test
    void latitudeBeyondNinetyDegreesIsOutOfRange() {
        ByteBuf location = frame(b -> Gt06Encoder.writeLocation0x12(b, fix(), 1));
        location.setInt(4 + 7, 90 * 1_800_000 + 1);
        recrc(location);
        assertRefused(DecodeError.COORDINATE_OUT_OF_RANGE, location);
    }

    @Test
    void thirteenthMonthIsATimeOutOfRange() {
        ByteBuf location = frame(b -> Gt06Encoder.writeLocation0x12(b, fix(), 1));
        patch(location, 4 + 1, 13);
        assertRefused(DecodeError.TIME_OUT_OF_RANGE, location);
    }

    @Test
    void thirtyFirstOfAprilIsATimeOutOfRange() {
        ByteBuf location = frame(b -> Gt06Encoder.writeLocation0x12(b, fix(), 1));
        patch(location, 4 + 1, 4);
        patch(location, 4 + 2, 31);
        assertRefused(DecodeError.TIME_OUT_OF_RANGE, location);
    }

    @Test
    void removalAlarmBecomesAStrapTamperAtTheFixTime() {
        Fix fix = fix();
        decoder.decode(frame(b -> Gt06Encoder.writeAlarm0x16(b, fix, Gt06Alarm.REMOVING, 9)), out);
        assertEquals(1, out.fixCount());
        assertEquals(EnumSet.of(DeviceEventType.STRAP_TAMPER), ReferenceAlarms.events(out));
        assertEquals(fix.timeMs, out.eventTimeMs(0));
    }

    @Test
    void alarmCodesMapToTheirKuzetEvents() {
        int[] codes = {Gt06Alarm.SOS, Gt06Alarm.POWER_CUT, Gt06Alarm.TAMPERING, 0x0C, 0x25, 0x32, Gt06Alarm.LOW_BATTERY,
            0x0E, 0x0F, Gt06Alarm.POWER_OFF, Gt06Alarm.REMOVING, 0x03};
        DeviceEventType[] expected = {DeviceEventType.SOS, DeviceEventType.EXTERNAL_POWER_CUT, DeviceEventType.CASE_TAMPER,
            DeviceEventType.CASE_TAMPER, DeviceEventType.CASE_TAMPER, DeviceEventType.CASE_TAMPER, DeviceEventType.BATTERY_LOW,
            DeviceEventType.BATTERY_LOW, DeviceEventType.BATTERY_LOW, DeviceEventType.POWER_OFF, DeviceEventType.STRAP_TAMPER,
            null};
        for (int i = 0; i < codes.length; i++) {
            int code = codes[i];
            decoder.decode(frame(b -> Gt06Encoder.writeAlarm0x16(b, fix(), code, 1)), out);
            assertEquals(expected[i] == null ? EnumSet.noneOf(DeviceEventType.class) : EnumSet.of(expected[i]),
                    ReferenceAlarms.events(out), String.format("alarm 0x%02X", code));
        }
    }

    @Test
    void lowBatteryEventCarriesTheBatteryPercent() {
        decoder.decode(frame(b -> Gt06Encoder.writeAlarm0x16(b, fix(), Gt06Alarm.LOW_BATTERY, 1)), out);
        assertEquals(100, out.eventValue(0));
    }

    @Test
    void alarmWithAnEmptyGpsBlockStillDeliversItsEventAtReceiveTime() {
        ByteBuf alarm = frame(b -> Gt06Encoder.writeAlarm0x16(b, fix(), Gt06Alarm.REMOVING, 1));
        alarm.setZero(4, 6);
        recrc(alarm);
        decoder.decode(alarm, out);
        assertEquals(0, out.fixCount());
        assertEquals(DeviceEventType.STRAP_TAMPER, out.eventType(0));
        assertEquals(NOW_MS, out.eventTimeMs(0));
    }

    @Test
    void termInfoRemovingBitsRaiseStrapTamperFromAHeartbeat() {
        decoder.decode(frame(b -> Gt06Encoder.writeHeartbeat0x13(b, 0b0011_1000, 3, 2, 1)), out);
        assertEquals(EnumSet.of(DeviceEventType.STRAP_TAMPER), ReferenceAlarms.events(out));
        assertEquals(NOW_MS, out.eventTimeMs(0));
        assertEquals(50, out.batteryPercent);
        assertEquals(50, out.signalPercent);
    }

    @Test
    void chargerBitChangesBecomeChargerEventsButTheFirstReportOnlySetsTheState() {
        decoder.decode(frame(b -> Gt06Encoder.writeHeartbeat0x13(b, 0x40, 4, 4, 1)), out);
        assertEquals(0, out.eventCount());
        assertFalse(out.charging);
        decoder.decode(frame(b -> Gt06Encoder.writeHeartbeat0x13(b, 0x40 | Gt06StatusBlock.TERM_CHARGING, 4, 4, 2)), out);
        assertTrue(out.charging);
        assertEquals(EnumSet.of(DeviceEventType.CHARGER_CONNECTED), ReferenceAlarms.events(out));
        decoder.decode(frame(b -> Gt06Encoder.writeHeartbeat0x13(b, 0x40 | Gt06StatusBlock.TERM_CHARGING, 4, 4, 3)), out);
        assertEquals(0, out.eventCount());
        decoder.decode(frame(b -> Gt06Encoder.writeHeartbeat0x13(b, 0x40, 4, 4, 4)), out);
        assertEquals(EnumSet.of(DeviceEventType.CHARGER_DISCONNECTED), ReferenceAlarms.events(out));
    }

    @Test
    void ackForAnExtendedFrameIsExtendedAndEchoesTheSerial() {
        ByteBuf ack = Unpooled.buffer();
        buffers.add(ack);
        Gt06Encoder.writeAck(ack, true, 0x94, 0x1234);
        assertEquals("7979000594" + "1234", ByteBufUtil.hexDump(ack, 0, 7));
        assertEquals(Gt06Crc.compute(ack, 2, 5), ack.getUnsignedShort(7));
        assertEquals(0x0D0A, ack.getUnsignedShort(9));
    }

    @Test
    void timeRequestIsAnsweredWithTheServerTime() {
        ByteBuf request = frame(b -> Gt06Encoder.writeAck(b, false, Gt06ProtocolNumber.TIME_REQUEST, 6));
        assertEquals(Gt06Decoder.Result.IGNORED, decoder.decode(request, out));
        ByteBuf reply = Unpooled.buffer();
        buffers.add(reply);
        assertTrue(Gt06Encoder.writeReply(reply, request, NOW_MS));
        assertEquals("78780b8a" + "1a0102030405" + "0000", ByteBufUtil.hexDump(reply, 0, 12));
    }

    private void assertRefused(DecodeError reason, ByteBuf frame) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> decoder.decode(frame, out));
        assertEquals(reason, e.reason(), e.getMessage());
    }

    private ByteBuf frame(Consumer<ByteBuf> writer) {
        ByteBuf buf = Unpooled.buffer();
        buffers.add(buf);
        writer.accept(buf);
        return buf;
    }

    static Fix fix() {
        Fix fix = new Fix().clear();
        fix.timeMs = Instant.parse("2025-06-30T13:51:01Z").toEpochMilli();
        fix.latE7 = 432_384_720;
        fix.lonE7 = 769_451_170;
        fix.speedKmhX10 = 120;
        fix.headingDeg = 265;
        fix.satellites = 9;
        fix.flags = Fix.FLAG_VALID;
        return fix;
    }

    /** Overwrites one byte of a standard frame and recomputes its CRC. */
    static void patch(ByteBuf frame, int index, int value) {
        frame.setByte(index, value);
        recrc(frame);
    }

    static void recrc(ByteBuf frame) {
        int crcIndex = frame.writerIndex() - 4;
        frame.setShort(crcIndex, Gt06Crc.compute(frame, 2, crcIndex - 2));
    }
}
