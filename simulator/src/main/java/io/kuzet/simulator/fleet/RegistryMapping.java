package io.kuzet.simulator.fleet;

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
import java.time.DayOfWeek;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps a simulated fleet onto the server's registry records: one agency per city, a subject, an order (house arrest
 * when the subject has a curfew, parole otherwise) starting at the fleet's start, the bracelet, and a zone plus rule
 * per {@link ZoneSpec}. Stateless and thread-safe.
 */
public final class RegistryMapping {
    private RegistryMapping() {
    }

    /** Order id of a subject (one order each). */
    public static long orderId(long subjectId) {
        return subjectId;
    }

    /** Registry device id of a subject's bracelet. */
    public static long deviceId(SimSubject s) {
        return s.subjectId();
    }

    public static RegistrySnapshot snapshot(Fleet fleet, long version, int noCommunicationLimitS, int noFixLimitS) {
        return snapshot(fleet, version, noCommunicationLimitS, noFixLimitS, "kuzet");
    }

    /** The same fleet with bracelets of another protocol ("gt06", "watch": numbers as IMEI / device id, no key). */
    public static RegistrySnapshot snapshot(Fleet fleet, long version, int noCommunicationLimitS, int noFixLimitS,
                                            String protocol) {
        List<AgencyRecord> agencies = new ArrayList<>();
        for (City city : City.values()) {
            agencies.add(new AgencyRecord(agencyId(city), city.name().substring(0, 3), city.displayName() + " probation", city.displayName()));
        }
        List<SubjectRecord> subjects = new ArrayList<>();
        List<OrderRecord> orders = new ArrayList<>();
        List<DeviceRecord> devices = new ArrayList<>();
        List<ZoneRecord> zones = new ArrayList<>();
        List<RuleRecord> rules = new ArrayList<>();
        Instant start = Instant.ofEpochMilli(fleet.startMs() - 86_400_000L);
        for (SimSubject s : fleet.subjects()) {
            subjects.add(new SubjectRecord(s.subjectId(), agencyId(s.city()), s.externalCaseId(), s.displayName()));
            boolean curfew = s.zones().stream().anyMatch(z -> z.kind() == ZoneSpec.RuleKind.CURFEW);
            orders.add(new OrderRecord(orderId(s.subjectId()), s.subjectId(), "Sim court " + s.externalCaseId(),
                    curfew ? OrderKind.HOUSE_ARREST : OrderKind.PAROLE, start, null, s.city().timeZone(),
                    RiskLevel.valueOf(s.risk().name()), noCommunicationLimitS, noFixLimitS));
            devices.add(new DeviceRecord(deviceId(s), protocol, s.braceletNumber(),
                    "kuzet".equals(protocol) ? s.braceletKey() : null, DeviceRole.BRACELET, s.subjectId()));
            for (ZoneSpec z : s.zones()) {
                zones.add(new ZoneRecord(z.zoneId(), agencyId(s.city()), z.name(), z.geoJson()));
                rules.add(rule(s, z));
            }
        }
        return new RegistrySnapshot(version, agencies, subjects, orders, devices, zones, rules);
    }

    static RuleRecord rule(SimSubject s, ZoneSpec z) {
        List<RuleRecord.Window> windows = new ArrayList<>();
        if (z.kind() == ZoneSpec.RuleKind.CURFEW) {
            for (DayOfWeek day : DayOfWeek.values()) {
                windows.add(new RuleRecord.Window(day, z.curfewStart(), z.curfewEnd()));
            }
        }
        return new RuleRecord(z.ruleId(), orderId(s.subjectId()), z.name(), z.kind().name(), z.zoneId(), 0, 0, 0, 0,
                0, 0, 0, 0, windows, List.of());
    }

    private static long agencyId(City city) {
        return city.ordinal() + 1;
    }
}
