package io.kuzet.simulator.load;

import io.kuzet.server.registry.AgencyRecord;
import io.kuzet.server.registry.DeviceRecord;
import io.kuzet.server.registry.DeviceRole;
import io.kuzet.server.registry.OrderKind;
import io.kuzet.server.registry.OrderRecord;
import io.kuzet.server.registry.RegistrySnapshot;
import io.kuzet.server.registry.RiskLevel;
import io.kuzet.server.registry.RuleRecord;
import io.kuzet.server.registry.SubjectRecord;
import io.kuzet.server.registry.ZoneRecord;
import io.kuzet.simulator.device.DeviceKeys;
import io.kuzet.simulator.gps.GeoPoint;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry for load and storm runs: device i (number {@link #FIRST_NUMBER} + i, key from {@link DeviceKeys}) is
 * worn by subject i under an order with one exclusion rule on a shared 200 m zone at Republic Square, Almaty. Devices
 * that do not violate stay 2+ km away from it. Stateless.
 */
public final class LoadFleet {
    public static final long FIRST_NUMBER = 800_000_000L;
    /** IMEI of GT06 load device i is {@code FIRST_IMEI + i}. */
    public static final long FIRST_IMEI = 860_000_000_000_000L;
    public static final GeoPoint ZONE_CENTRE = new GeoPoint(43.2380, 76.9450);
    public static final double ZONE_RADIUS_METRES = 200;
    static final long ZONE_ID = 1;

    /**
     * Load devices compress time (each message advances its fix clock by 15 s, whatever the send rate), so at full rate
     * their fixes run hours ahead of the wall clock within seconds. A load target therefore accepts fixes up to ten
     * years ahead instead of treating them as clock faults ({@code limits.maxFixAheadS}); a production server keeps
     * its default. Remote targets need {@code KUZET_LIMITS_MAX_FIX_AHEAD_S} set the same way.
     */
    public static final int LOAD_MAX_FIX_AHEAD_S = 10 * 366 * 86_400;

    private LoadFleet() {
    }

    /** Adjusts a load target's settings to what load fleets send (see {@link #LOAD_MAX_FIX_AHEAD_S}). */
    public static void acceptCompressedFixTime(io.kuzet.server.config.ServerConfig config) {
        config.limits.maxFixAheadS = LOAD_MAX_FIX_AHEAD_S;
    }

    public static long number(int index) {
        return FIRST_NUMBER + index;
    }

    public static long imei(int index) {
        return FIRST_IMEI + index;
    }

    public static RegistrySnapshot registry(int devices) {
        return registry(devices, "kuzet");
    }

    /** The registry with every device speaking {@code protocol} ({@code kuzet} or {@code gt06}). */
    public static RegistrySnapshot registry(int devices, String protocol) {
        boolean gt06 = "gt06".equals(protocol);
        List<SubjectRecord> subjects = new ArrayList<>(devices);
        List<OrderRecord> orders = new ArrayList<>(devices);
        List<DeviceRecord> deviceRecords = new ArrayList<>(devices);
        List<RuleRecord> rules = new ArrayList<>(devices);
        Instant start = Instant.parse("2020-01-01T00:00:00Z");
        for (int i = 0; i < devices; i++) {
            long id = i + 1;
            subjects.add(new SubjectRecord(id, 1, "KZ-LOAD-" + id, "Load subject " + id));
            orders.add(new OrderRecord(id, id, "Load order " + id, OrderKind.PAROLE, start, null, ZoneId.of("Asia/Almaty"),
                    RiskLevel.MEDIUM, 86_400, 86_400));
            deviceRecords.add(gt06 ? new DeviceRecord(id, "gt06", imei(i), null, DeviceRole.BRACELET, id)
                    : new DeviceRecord(id, "kuzet", number(i), DeviceKeys.derive(number(i)), DeviceRole.BRACELET, id));
            rules.add(new RuleRecord(id, id, "Stay away from Republic Square", "EXCLUSION", ZONE_ID, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of()));
        }
        String geoJson = "{\"type\":\"Feature\",\"properties\":{\"radius_m\":" + ZONE_RADIUS_METRES + "},"
                + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[" + ZONE_CENTRE.lon() + "," + ZONE_CENTRE.lat() + "]}}";
        return new RegistrySnapshot(1, List.of(new AgencyRecord(1, "LOAD", "Load agency", "Almaty")), subjects, orders,
                deviceRecords, List.of(new ZoneRecord(ZONE_ID, 1, "Republic Square", geoJson)), rules);
    }
}
