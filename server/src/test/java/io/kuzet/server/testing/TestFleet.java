package io.kuzet.server.testing;

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
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A small registry for in-process server tests: one agency in Almaty, a subject on house arrest with an exclusion
 * zone around the victim's home (a 200 m circle) and a bracelet for each protocol.
 */
public final class TestFleet {
    public static final long AGENCY = 1;
    public static final long SUBJECT = 10;
    public static final long ORDER = 100;
    public static final long KUZET_DEVICE = 1000;
    public static final long KUZET_NUMBER = 700_000_001L;
    public static final byte[] KUZET_KEY = "kuzet-test-key-0001".getBytes(StandardCharsets.UTF_8);
    public static final long GT06_DEVICE = 1001;
    public static final long GT06_IMEI = 123_456_789_012_345L;
    public static final long WATCH_DEVICE = 1002;
    public static final long WATCH_NUMBER = 1_234_567_890L;
    public static final long ZONE = 500;
    public static final long EXCLUSION_RULE = 5000;
    /** Centre of the exclusion zone (victim's home), Almaty. */
    public static final double ZONE_LAT = 43.2380;
    public static final double ZONE_LON = 76.9450;
    public static final double ZONE_RADIUS_M = 200;
    /** The subject's home, a flat-sized circle 120 m across, 3 km from the victim's home. */
    public static final long HOME_ZONE = 501;
    public static final long CURFEW_RULE = 5001;
    public static final double HOME_LAT = 43.2650;
    public static final double HOME_LON = 76.9450;
    public static final double HOME_RADIUS_M = 60;
    /** Curfew window, every day, in the order's time zone (Asia/Almaty, UTC+5): RunningServer.T0 is 01:26:40. */
    public static final LocalTime CURFEW_FROM = LocalTime.of(1, 0);
    public static final LocalTime CURFEW_TO = LocalTime.of(6, 0);
    public static final Instant ORDER_START = Instant.parse("2026-01-01T00:00:00Z");

    private TestFleet() {
    }

    public static RegistrySnapshot registry(int noCommunicationLimitS) {
        return registry(1, noCommunicationLimitS, List.of(), List.of());
    }

    private static RegistrySnapshot registry(long version, int noCommunicationLimitS, List<ZoneRecord> moreZones,
                                             List<RuleRecord> moreRules) {
        return registry(version, noCommunicationLimitS, moreZones, moreRules, List.of());
    }

    private static RegistrySnapshot registry(long version, int noCommunicationLimitS, List<ZoneRecord> moreZones,
                                             List<RuleRecord> moreRules, List<DeviceRecord> moreDevices) {
        List<ZoneRecord> zones = new ArrayList<>(List.of(new ZoneRecord(ZONE, AGENCY, "Victim home",
                "{\"type\":\"Feature\",\"properties\":{\"radius_m\":" + ZONE_RADIUS_M + "},"
                        + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[" + ZONE_LON + "," + ZONE_LAT + "]}}")));
        zones.addAll(moreZones);
        List<RuleRecord> rules = new ArrayList<>(List.of(new RuleRecord(EXCLUSION_RULE, ORDER,
                "Stay away from victim home", "EXCLUSION", ZONE, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), List.of())));
        rules.addAll(moreRules);
        return new RegistrySnapshot(version,
                List.of(new AgencyRecord(AGENCY, "ALM", "Almaty probation", "Almaty")),
                List.of(new SubjectRecord(SUBJECT, AGENCY, "KZ-2026-0001", "Test Subject")),
                List.of(new OrderRecord(ORDER, SUBJECT, "Almaty court 2-123/2026", OrderKind.HOUSE_ARREST, ORDER_START, null,
                        ZoneId.of("Asia/Almaty"), RiskLevel.MEDIUM, noCommunicationLimitS, 0)),
                devices(moreDevices), zones, rules);
    }

    private static List<DeviceRecord> devices(List<DeviceRecord> more) {
        List<DeviceRecord> devices = new ArrayList<>(List.of(
                new DeviceRecord(KUZET_DEVICE, "kuzet", KUZET_NUMBER, KUZET_KEY, DeviceRole.BRACELET, SUBJECT),
                new DeviceRecord(GT06_DEVICE, "gt06", GT06_IMEI, null, DeviceRole.BRACELET, SUBJECT),
                new DeviceRecord(WATCH_DEVICE, "watch", WATCH_NUMBER, null, DeviceRole.BRACELET, SUBJECT)));
        devices.addAll(more);
        return devices;
    }

    /** The victim's unit (a Watch-protocol personal device) for the proximity rule of {@link #registryWithProximity}. */
    public static final long VICTIM_DEVICE = 1003;
    public static final long VICTIM_NUMBER = 1_234_567_899L;
    public static final long PROXIMITY_RULE = 5002;

    /**
     * {@link #registry} plus a victim unit and a proximity rule: the subject must stay {@code distanceM} away from it,
     * with a warning at {@code warnDistanceM}.
     */
    public static RegistrySnapshot registryWithProximity(int noCommunicationLimitS, double distanceM, double warnDistanceM) {
        return registry(3, noCommunicationLimitS, List.of(), List.of(new RuleRecord(PROXIMITY_RULE, ORDER, "Victim A",
                        "PROXIMITY", 0, VICTIM_DEVICE, distanceM, warnDistanceM, 0, 0, 0, 0, 0, List.of(), List.of())),
                List.of(new DeviceRecord(VICTIM_DEVICE, "watch", VICTIM_NUMBER, null, DeviceRole.VICTIM_UNIT, 0)));
    }

    /**
     * As {@link #registryWithProximity} with {@code victimUnit} (any id and protocol, role VICTIM_UNIT) as the victim's
     * unit, so a test can choose which Kafka partition its records fall in.
     */
    public static RegistrySnapshot registryWithProximity(double distanceM, double warnDistanceM, DeviceRecord victimUnit) {
        return registry(3, 3600, List.of(), List.of(new RuleRecord(PROXIMITY_RULE, ORDER, "Victim A",
                        "PROXIMITY", 0, victimUnit.id(), distanceM, warnDistanceM, 0, 0, 0, 0, 0, List.of(), List.of())),
                List.of(victimUnit));
    }

    /** {@link #registry} plus a curfew at the subject's 120 m home (HOME_ZONE) from CURFEW_FROM to CURFEW_TO. */
    public static RegistrySnapshot registryWithHomeCurfew(int noCommunicationLimitS) {
        List<ZoneRecord> zones = List.of(new ZoneRecord(HOME_ZONE, AGENCY, "Home",
                "{\"type\":\"Feature\",\"properties\":{\"radius_m\":" + HOME_RADIUS_M + "},"
                        + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[" + HOME_LON + "," + HOME_LAT + "]}}"));
        List<RuleRecord.Window> nights = new ArrayList<>();
        for (DayOfWeek day : DayOfWeek.values()) {
            nights.add(new RuleRecord.Window(day, CURFEW_FROM, CURFEW_TO));
        }
        List<RuleRecord> rules = List.of(new RuleRecord(CURFEW_RULE, ORDER, "Home at night", "CURFEW", HOME_ZONE, 0, 0,
                0, 0, 0, 0, 0, 0, nights, List.of()));
        return registry(2, noCommunicationLimitS, zones, rules);
    }

    /** Latitude {@code metres} north of the home centre. */
    public static double latNorthOfHome(double metres) {
        return HOME_LAT + metres / 111_000.0;
    }

    /** Latitude {@code metres} north of the zone centre. */
    public static double latNorthOfCentre(double metres) {
        return ZONE_LAT + metres / 111_000.0;
    }
}
