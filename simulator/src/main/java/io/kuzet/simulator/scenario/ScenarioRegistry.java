package io.kuzet.simulator.scenario;

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
import io.kuzet.simulator.fleet.ZoneSpec;
import io.kuzet.simulator.gps.GeoPoint;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a scenario onto registry records: subject i (1-based, in file order) gets subject, order and device id i;
 * zone j gets zone id 100 + j; rules are numbered per subject. Victim units get a device and no order. Built once per
 * run; immutable afterwards.
 */
final class ScenarioRegistry {
    final Map<String, Long> subjectIds = new HashMap<>();
    final Map<String, ZoneSpec> zones = new HashMap<>();
    final Map<String, List<ZoneSpec>> zonesBySubject = new HashMap<>();
    final List<ScenarioFile.Subject> scenarioSubjects;
    final RegistrySnapshot snapshot;

    ScenarioRegistry(ScenarioFile s) {
        scenarioSubjects = List.copyOf(s.subjects);
        ZoneId tz = ZoneId.of(s.timeZone);
        long zoneId = 100;
        for (ScenarioFile.Zone z : s.zones) {
            zoneId++;
            ZoneSpec.RuleKind kind = ZoneSpec.RuleKind.valueOf(z.kind);
            zones.put(z.id, new ZoneSpec(zoneId, 0, z.id, kind, new GeoPoint(z.lat, z.lon), z.radiusM,
                    kind == ZoneSpec.RuleKind.CURFEW ? LocalTime.parse(z.curfewStart) : null,
                    kind == ZoneSpec.RuleKind.CURFEW ? LocalTime.parse(z.curfewEnd) : null));
        }
        for (int i = 0; i < s.subjects.size(); i++) {
            subjectIds.put(s.subjects.get(i).id, (long) (i + 1));
        }
        Instant orderStart = Instant.parse(s.start).minusSeconds(86_400);
        List<SubjectRecord> subjects = new ArrayList<>();
        List<OrderRecord> orders = new ArrayList<>();
        List<DeviceRecord> devices = new ArrayList<>();
        List<RuleRecord> rules = new ArrayList<>();
        for (ScenarioFile.Subject sub : s.subjects) {
            long id = subjectIds.get(sub.id);
            boolean victim = "VICTIM_UNIT".equals(sub.role);
            devices.add(new DeviceRecord(id, "kuzet", sub.device, DeviceKeys.derive(sub.device),
                    victim ? DeviceRole.VICTIM_UNIT : DeviceRole.BRACELET, victim ? 0 : id));
            if (victim) {
                continue;
            }
            subjects.add(new SubjectRecord(id, 1, "KZ-SCN-" + id, sub.id));
            orders.add(new OrderRecord(id, id, "Scenario " + s.name, OrderKind.HOUSE_ARREST, orderStart, null, tz,
                    RiskLevel.valueOf(sub.risk), s.noCommunicationLimitS, s.noFixLimitS));
            List<ZoneSpec> own = new ArrayList<>();
            long ruleId = id * 1000;
            for (String zoneName : sub.zones) {
                ZoneSpec z = zones.get(zoneName);
                if (z == null) {
                    throw new IllegalArgumentException("subject " + sub.id + " names unknown zone " + zoneName);
                }
                ZoneSpec withRule = new ZoneSpec(z.zoneId(), ++ruleId, z.name(), z.kind(), z.centre(), z.radiusMetres(), z.curfewStart(), z.curfewEnd());
                own.add(withRule);
                List<RuleRecord.Window> windows = new ArrayList<>();
                if (z.kind() == ZoneSpec.RuleKind.CURFEW) {
                    for (DayOfWeek day : DayOfWeek.values()) {
                        windows.add(new RuleRecord.Window(day, z.curfewStart(), z.curfewEnd()));
                    }
                }
                rules.add(new RuleRecord(ruleId, id, z.name(), z.kind().name(), z.zoneId(), 0, 0, 0, 0, 0, 0, 0, 0, windows, List.of()));
            }
            if (sub.proximity != null) {
                Long victimId = subjectIds.get(sub.proximity.victim);
                if (victimId == null) {
                    throw new IllegalArgumentException("subject " + sub.id + " names unknown victim " + sub.proximity.victim);
                }
                rules.add(new RuleRecord(++ruleId, id, "Stay away from " + sub.proximity.victim, "PROXIMITY", 0, victimId,
                        sub.proximity.distanceM, 0, 0, 0, 0, 0, 0, List.of(), List.of()));
            }
            zonesBySubject.put(sub.id, own);
        }
        List<ZoneRecord> zoneRecords = zones.values().stream().map(z -> new ZoneRecord(z.zoneId(), 1, z.name(), z.geoJson())).toList();
        snapshot = new RegistrySnapshot(2, List.of(new AgencyRecord(1, "SCN", "Scenario agency", "Almaty")), subjects, orders,
                devices, zoneRecords, rules);
    }
}
