package io.kuzet.server.testing;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;

/** Builders for device messages carrying fixes, as devices would send them. */
public final class Fixes {
    private Fixes() {
    }

    /** A message holding one valid fix at the given place and time. */
    public static DeviceMessage fixAt(long timeMs, double lat, double lon, double accuracyMetres) {
        DeviceMessage msg = new DeviceMessage();
        addFix(msg, timeMs, lat, lon, accuracyMetres);
        return msg;
    }

    public static Fix addFix(DeviceMessage msg, long timeMs, double lat, double lon, double accuracyMetres) {
        Fix f = msg.addFix();
        f.timeMs = timeMs;
        f.latE7 = (int) Math.round(lat * 1e7);
        f.lonE7 = (int) Math.round(lon * 1e7);
        f.accuracyDm = (int) Math.round(accuracyMetres * 10);
        f.satellites = 9;
        f.flags = Fix.FLAG_VALID;
        return f;
    }
}
