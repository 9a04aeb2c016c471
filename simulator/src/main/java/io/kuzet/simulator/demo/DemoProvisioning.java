package io.kuzet.simulator.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kuzet.simulator.fleet.City;
import io.kuzet.simulator.fleet.Fleet;
import io.kuzet.simulator.fleet.SimSubject;
import io.kuzet.simulator.fleet.ZoneSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a simulated fleet as a provisioning file (docs/provisioning.md) for the server's importer: one agency per
 * city, and per subject the subject, its bracelet (the simulator's number and key), one zone per {@link ZoneSpec}
 * (a circle, named after the zone and the case so names stay unique within the agency), an order (house arrest with a
 * curfew, parole otherwise) starting a day before the fleet with one rule per zone, and the bracelet's assignment.
 * Natural keys depend on the fleet's seed only, so importing the file of a later run of the same seed updates the same
 * rows. Stateless and thread-safe.
 */
public final class DemoProvisioning {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();

    private DemoProvisioning() {
    }

    /** Writes the provisioning file of {@code fleet} to {@code file} (parent directories created). */
    public static void write(Fleet fleet, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            YAML.writeValue(file.toFile(), document(fleet));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo provisioning file " + file, e);
        }
    }

    /** Agency code of a city in the provisioning file. */
    public static String agencyCode(City city) {
        return city.name().substring(0, 3);
    }

    /** Zone name in the provisioning file: unique within the agency. */
    public static String zoneName(SimSubject s, ZoneSpec z) {
        return z.name() + " " + s.externalCaseId();
    }

    static Map<String, Object> document(Fleet fleet) throws IOException {
        Set<City> cities = EnumSet.noneOf(City.class);
        fleet.subjects().forEach(s -> cities.add(s.city()));
        List<Object> agencies = new ArrayList<>();
        for (City city : cities) {
            agencies.add(map("code", agencyCode(city), "name", city.displayName() + " probation service", "region", city.displayName()));
        }
        String startsAt = Instant.ofEpochMilli(fleet.startMs() - 86_400_000L).toString();
        List<Object> subjects = new ArrayList<>();
        List<Object> zones = new ArrayList<>();
        List<Object> devices = new ArrayList<>();
        List<Object> orders = new ArrayList<>();
        List<Object> assignments = new ArrayList<>();
        for (SimSubject s : fleet.subjects()) {
            String agency = agencyCode(s.city());
            Map<String, Object> subjectRef = map("agency", agency, "externalCaseId", s.externalCaseId());
            Map<String, Object> deviceRef = map("protocol", "kuzet", "number", s.braceletNumber());
            subjects.add(map("agency", agency, "externalCaseId", s.externalCaseId(), "displayName", s.displayName()));
            devices.add(map("protocol", "kuzet", "number", s.braceletNumber(), "secretKey", HexFormat.of().formatHex(s.braceletKey()),
                    "role", "BRACELET", "firmware", "sim-1"));
            List<Object> rules = new ArrayList<>();
            boolean curfew = false;
            for (ZoneSpec z : s.zones()) {
                zones.add(map("agency", agency, "name", zoneName(s, z), "kind", z.kind() == ZoneSpec.RuleKind.EXCLUSION ? "EXCLUSION_AREA" : "RESIDENCE",
                        "geojson", JSON.readValue(z.geoJson(), Map.class)));
                Map<String, Object> rule = map("name", z.name(), "kind", z.kind().name(), "zone", zoneName(s, z));
                if (z.kind() == ZoneSpec.RuleKind.CURFEW) {
                    curfew = true;
                    List<Object> schedule = new ArrayList<>();
                    for (DayOfWeek day : DayOfWeek.values()) {
                        schedule.add(map("weekday", day.name(), "start", z.curfewStart().toString(), "end", z.curfewEnd().toString()));
                    }
                    rule.put("schedule", schedule);
                }
                rules.add(rule);
            }
            orders.add(map("legalReference", "Sim court " + s.externalCaseId(), "subject", subjectRef,
                    "kind", curfew ? "HOUSE_ARREST" : "PAROLE", "startsAt", startsAt, "timeZone", s.city().timeZone().getId(),
                    "riskLevel", s.risk().name(), "rules", rules));
            assignments.add(map("device", deviceRef, "subject", subjectRef, "assignedAt", startsAt));
        }
        return map("agencies", agencies, "subjects", subjects, "zones", zones, "devices", devices, "orders", orders,
                "assignments", assignments);
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
