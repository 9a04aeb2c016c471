package io.kuzet.protocol.kuzet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;

/** The shared sanity check every decoded fix in these tests must pass (Traccar's ProtocolTest idea). */
final class FixPlausibility {
    private FixPlausibility() {
    }

    static void assertPlausible(DeviceMessage message) {
        for (int i = 0; i < message.fixCount(); i++) {
            assertPlausible(message.fix(i));
        }
    }

    static void assertPlausible(Fix fix) {
        assertTrue(fix.timeMs >= KuzetFrame.MIN_TIME_MS && fix.timeMs < KuzetFrame.END_TIME_MS, () -> "time " + fix);
        assertTrue(Math.abs(fix.latitude()) <= 90 && Math.abs(fix.longitude()) <= 180, () -> "position " + fix);
        assertTrue(fix.altitudeM >= -500 && fix.altitudeM <= 9000, () -> "altitude " + fix);
        assertTrue(fix.speedKmh() >= 0 && fix.speedKmh() <= 300, () -> "speed " + fix);
        assertTrue(fix.headingDeg >= 0 && fix.headingDeg <= 359, () -> "heading " + fix);
        assertTrue(fix.accuracyDm == Fix.ACCURACY_UNKNOWN || fix.accuracyDm >= 0, () -> "accuracy " + fix);
        assertTrue(fix.hdopX10 == Fix.HDOP_UNKNOWN || (fix.hdopX10 >= 0 && fix.hdopX10 < 255), () -> "hdop " + fix);
        assertTrue(fix.satellites >= 0 && fix.satellites <= 64, () -> "satellites " + fix);
        assertTrue((fix.flags & ~7) == 0, () -> "flags " + fix);
    }
}
