package io.kuzet.bench.pipeline;

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
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A registry of {@code devices} bracelets around Almaty, each on its own order with an exclusion circle (victim's
 * home, 200 m) and an inclusion polygon (the city, 40 x 40 km): two zone rules per fix.
 */
final class PipelineFleet {
    static final double CENTRE_LAT = 43.2380;
    static final double CENTRE_LON = 76.9450;

    private PipelineFleet() {
    }

    static double homeLat(int device) {
        return CENTRE_LAT + (device % 100) * 0.01 - 0.5;
    }

    static double homeLon(int device) {
        return CENTRE_LON + (device / 100) * 0.01 - 0.5;
    }

    static RegistrySnapshot registry(int devices) {
        List<SubjectRecord> subjects = new ArrayList<>();
        List<OrderRecord> orders = new ArrayList<>();
        List<DeviceRecord> deviceRecords = new ArrayList<>();
        List<ZoneRecord> zones = new ArrayList<>();
        List<RuleRecord> rules = new ArrayList<>();
        zones.add(new ZoneRecord(1, 1, "Almaty", "{\"type\":\"Polygon\",\"coordinates\":[[[76.6,42.9],[77.3,42.9],[77.3,43.6],[76.6,43.6],[76.6,42.9]]]}"));
        for (int d = 0; d < devices; d++) {
            long subject = 10_000 + d;
            long order = 20_000 + d;
            long zone = 30_000 + d;
            subjects.add(new SubjectRecord(subject, 1, "KZ-" + d, "Subject " + d));
            orders.add(new OrderRecord(order, subject, "case " + d, OrderKind.SUSPENDED_SENTENCE, Instant.parse("2026-01-01T00:00:00Z"),
                    null, ZoneId.of("Asia/Almaty"), RiskLevel.MEDIUM, 3600, 3600));
            deviceRecords.add(new DeviceRecord(d + 1, "kuzet", 700_000_000L + d, new byte[16], DeviceRole.BRACELET, subject));
            zones.add(new ZoneRecord(zone, 1, "Victim home " + d, "{\"type\":\"Feature\",\"properties\":{\"radius_m\":200},"
                    + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[" + homeLon(d) + "," + homeLat(d) + "]}}"));
            rules.add(new RuleRecord(40_000L + 2 * d, order, "Victim home", "EXCLUSION", zone, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of()));
            rules.add(new RuleRecord(40_001L + 2 * d, order, "Stay in Almaty", "INCLUSION", 1, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of()));
        }
        return new RegistrySnapshot(1, List.of(new AgencyRecord(1, "ALM", "Almaty", "Almaty")), subjects, orders, deviceRecords, zones, rules);
    }
}
