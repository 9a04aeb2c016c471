package io.kuzet.protocol.watch;

import io.kuzet.protocol.DecodeError;
import io.kuzet.protocol.DeviceEventType;
import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.protocol.ProtocolException;
import io.kuzet.protocol.gt06.ReferenceAlarms;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WatchDecoderTest {
    static final long NOW_MS = Instant.parse("2026-01-02T03:04:05Z").toEpochMilli();
    static final String FIELDS = "220414,134652,A,22.571707,N,113.8613968,E,0.1,0.0,100,7,60,90,1000,50,";

    private final WatchDecoder decoder = new WatchDecoder(() -> NOW_MS);
    private final DeviceMessage out = new DeviceMessage();
    private final List<ByteBuf> buffers = new ArrayList<>();

    @AfterEach
    void releaseBuffers() {
        buffers.forEach(ByteBuf::release);
    }

    @Test
    void statusWordBitsMapToKuzetEvents() {
        int[] bits = {WatchStatus.LOW_BATTERY, WatchStatus.LOW_BATTERY_2, WatchStatus.POWER_CUT, WatchStatus.SOS,
            WatchStatus.REMOVING, 1 << 1, 1 << 21};
        DeviceEventType[] expected = {DeviceEventType.BATTERY_LOW, DeviceEventType.BATTERY_LOW,
            DeviceEventType.EXTERNAL_POWER_CUT, DeviceEventType.SOS, DeviceEventType.STRAP_TAMPER, null, null};
        for (int i = 0; i < bits.length; i++) {
            assertEquals(WatchDecoder.Result.ALARM, decoder.decode(frame("AL," + FIELDS + String.format("%08X", bits[i])), out));
            assertEquals(expected[i] == null ? EnumSet.noneOf(DeviceEventType.class) : EnumSet.of(expected[i]),
                    ReferenceAlarms.events(out), "bit " + Integer.numberOfTrailingZeros(bits[i]));
        }
    }

    @Test
    void removalAndPowerCutTogetherRaiseBothEventsAtTheFixTime() {
        decoder.decode(frame("UD," + FIELDS + "00104000"), out);
        assertEquals(EnumSet.of(DeviceEventType.STRAP_TAMPER, DeviceEventType.EXTERNAL_POWER_CUT),
                ReferenceAlarms.events(out));
        assertEquals(out.fix(0).timeMs, out.eventTimeMs(0));
    }

    @Test
    void lowBatteryEventCarriesTheBatteryPercent() {
        decoder.decode(frame("AL," + FIELDS + "00020000"), out);
        assertEquals(90, out.eventValue(0));
    }

    @Test
    void alarmWithAnEmptyDateStillDeliversItsEventAtReceiveTime() {
        decoder.decode(frame("AL,000000,000000,V,0,N,0,E,0,0,0,0,0,44,0,0,00100000"), out);
        assertEquals(0, out.fixCount());
        assertEquals(DeviceEventType.STRAP_TAMPER, out.eventType(0));
        assertEquals(NOW_MS, out.eventTimeMs(0));
    }

    @Test
    void southAndWestHemispheresAreNegative() {
        decoder.decode(frame("UD,010125,000000,A,33.8688,S,70.6693,W,12.5,359.6,-12.5,5,40,80,0,0,0"), out);
        Fix fix = out.fix(0);
        assertEquals(-338_688_000, fix.latE7);
        assertEquals(-706_693_000, fix.lonE7);
        assertEquals(125, fix.speedKmhX10);
        assertEquals(0, fix.headingDeg);  // 359.6 rounds to 360 = north
        assertEquals(-13, fix.altitudeM);
    }

    @Test
    void indexFieldBecomesTheSequence() {
        ByteBuf indexed = ascii("[ZJ*5678901234*00A1*0009*TEMP,36.5]");
        assertEquals(WatchDecoder.Result.IGNORED, decoder.decode(indexed, out));
        assertEquals(0xA1, out.sequence);
        decoder.decode(frame("LK"), out);
        assertEquals(DeviceMessage.NO_SEQUENCE, out.sequence);
    }

    @Test
    void nonNumericDeviceIdIsABadField() {
        assertRefused(DecodeError.BAD_FIELD, ascii("[3G*47001X6508*0002*LK]"));
    }

    @Test
    void unknownMessageTypeIsRefused() {
        assertRefused(DecodeError.UNKNOWN_TYPE, frame("XYZZY,1,2"));
    }

    @Test
    void latitudeBeyondNinetyDegreesIsOutOfRange() {
        assertRefused(DecodeError.COORDINATE_OUT_OF_RANGE, frame("UD,220414,134652,A,90.0000001,N,0,E,0,0,0,0,0,0,0,0,0"));
    }

    @Test
    void longitudeBeyondOneHundredEightyDegreesIsOutOfRange() {
        assertRefused(DecodeError.COORDINATE_OUT_OF_RANGE, frame("UD,220414,134652,A,0,N,180.5,E,0,0,0,0,0,0,0,0,0"));
    }

    @Test
    void thirtiethOfFebruaryIsATimeOutOfRange() {
        assertRefused(DecodeError.TIME_OUT_OF_RANGE, frame("UD,300224,134652,A,0,N,0,E,0,0,0,0,0,0,0,0,0"));
    }

    @Test
    void hourTwentyFourIsATimeOutOfRange() {
        assertRefused(DecodeError.TIME_OUT_OF_RANGE, frame("UD,220414,240000,A,0,N,0,E,0,0,0,0,0,0,0,0,0"));
    }

    @Test
    void locationWithoutItsStatusWordIsTruncated() {
        assertRefused(DecodeError.TRUNCATED, frame("UD,220414,134652,A,22.5,N,113.8,E,0.1,0.0,100,7,60"));
    }

    @Test
    void nonNumericSpeedIsABadField() {
        assertRefused(DecodeError.BAD_FIELD, frame("UD,220414,134652,A,22.5,N,113.8,E,fast,0,0,0,0,0,0,0,0"));
    }

    @Test
    void statusWordLongerThanThirtyTwoBitsIsABadField() {
        assertRefused(DecodeError.BAD_FIELD, frame("UD," + FIELDS + "100000000"));
    }

    @Test
    void heartbeatWithoutFieldsLeavesTheBatteryUnknown() {
        assertEquals(WatchDecoder.Result.HEARTBEAT, decoder.decode(frame("LK"), out));
        assertEquals(DeviceMessage.UNKNOWN, out.batteryPercent);
    }

    private void assertRefused(DecodeError reason, ByteBuf frame) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> decoder.decode(frame, out));
        assertEquals(reason, e.reason(), e.getMessage());
    }

    private ByteBuf frame(String content) {
        return ascii(String.format("[3G*4700186508*%04X*%s]", content.length(), content));
    }

    private ByteBuf ascii(String text) {
        ByteBuf buf = WatchThirdPartyVectorTest.ascii(text);
        buffers.add(buf);
        return buf;
    }
}
