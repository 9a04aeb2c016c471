package io.kuzet.simulator.load;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kuzet.simulator.device.DeviceKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link LoadFleet} as a provisioning file (docs/provisioning.md), so that a full server (database, storage
 * writer, API) started with {@code --provision FILE} accepts a remote load run: one agency, the shared exclusion zone,
 * and per device a subject, the device (Kuzet number and key, or GT06 IMEI), an order since 2020 with one exclusion
 * rule and the assignment. Stateless.
 */
public final class LoadProvisioning {
    private LoadProvisioning() {
    }

    public static void write(int devices, String protocol, Path file) throws IOException {
        boolean gt06 = "gt06".equals(protocol);
        String startsAt = "2020-01-01T00:00:00Z";
        List<Object> subjects = new ArrayList<>(devices);
        List<Object> deviceRows = new ArrayList<>(devices);
        List<Object> orders = new ArrayList<>(devices);
        List<Object> assignments = new ArrayList<>(devices);
        for (int i = 0; i < devices; i++) {
            String caseId = "KZ-LOAD-" + (i + 1);
            Map<String, Object> subjectRef = map("agency", "LOAD", "externalCaseId", caseId);
            long number = gt06 ? LoadFleet.imei(i) : LoadFleet.number(i);
            subjects.add(map("agency", "LOAD", "externalCaseId", caseId, "displayName", "Load subject " + (i + 1)));
            Map<String, Object> device = map("protocol", protocol, "number", number, "role", "BRACELET");
            if (!gt06) {
                device.put("secretKey", HexFormat.of().formatHex(DeviceKeys.derive(number)));
            }
            deviceRows.add(device);
            orders.add(map("legalReference", "Load order " + (i + 1), "subject", subjectRef, "kind", "PAROLE", "startsAt", startsAt,
                    "timeZone", "Asia/Almaty", "riskLevel", "MEDIUM", "noCommunicationLimitS", 86_400, "noFixLimitS", 86_400,
                    "rules", List.of(map("name", "Stay away from Republic Square", "kind", "EXCLUSION", "zone", "Republic Square"))));
            assignments.add(map("device", map("protocol", protocol, "number", number), "subject", subjectRef, "assignedAt", startsAt));
        }
        Map<String, Object> zone = map("agency", "LOAD", "name", "Republic Square", "kind", "EXCLUSION_AREA", "geojson",
                map("type", "Feature", "properties", map("radius_m", LoadFleet.ZONE_RADIUS_METRES), "geometry",
                        map("type", "Point", "coordinates", List.of(LoadFleet.ZONE_CENTRE.lon(), LoadFleet.ZONE_CENTRE.lat()))));
        Map<String, Object> document = map("agencies", List.of(map("code", "LOAD", "name", "Load agency", "region", "Almaty")),
                "subjects", subjects, "zones", List.of(zone), "devices", deviceRows, "orders", orders, "assignments", assignments);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new YAMLMapper().writeValue(file.toFile(), document);
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
