package io.kuzet.protocol.gt06;

import io.kuzet.protocol.DeviceEventType;
import io.kuzet.protocol.DeviceMessage;

import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Kuzet events the reference decoder's {@code alarm=} attribute stands for, and the events a message holds. */
public final class ReferenceAlarms {
    private ReferenceAlarms() {
    }

    /** The events expected for the vector file's {@code alarm} value ({@code null}: none). */
    public static Set<DeviceEventType> expectedEvents(String alarm) {
        if (alarm == null) {
            return EnumSet.noneOf(DeviceEventType.class);
        }
        return EnumSet.of(switch (alarm) {
            case "sos" -> DeviceEventType.SOS;
            case "removing" -> DeviceEventType.STRAP_TAMPER;
            case "tampering" -> DeviceEventType.CASE_TAMPER;
            case "lowBattery" -> DeviceEventType.BATTERY_LOW;
            case "powerCut" -> DeviceEventType.EXTERNAL_POWER_CUT;
            default -> throw new IllegalArgumentException("unmapped alarm in vectors: " + alarm);
        });
    }

    /** The event types of {@code out}, asserting that none is reported twice. */
    public static Set<DeviceEventType> events(DeviceMessage out) {
        Set<DeviceEventType> set = EnumSet.noneOf(DeviceEventType.class);
        for (int i = 0; i < out.eventCount(); i++) {
            assertTrue(set.add(out.eventType(i)), "event reported twice: " + out.eventType(i));
        }
        return set;
    }
}
