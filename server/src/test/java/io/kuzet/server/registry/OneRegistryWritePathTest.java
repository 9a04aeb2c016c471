package io.kuzet.server.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.server.store.Database;
import io.kuzet.server.store.SharedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provisioning import refuses what the operator API refuses, with the API's reason, because both write through the
 * same repositories (the API side is {@code io.kuzet.server.api.RegistryWritePathApiTest}). Each file here was imported
 * silently before the repositories, and the core or a device met the bad row later.
 */
class OneRegistryWritePathTest {
    private static final String HEAD = """
            agencies:
              - {code: ALM, name: Almaty probation, region: Almaty}
            subjects:
              - {agency: ALM, externalCaseId: KZ-1, displayName: One}
            """;
    private static final String ORDER = """
            orders:
              - legalReference: "ALM 1/2026"
                subject: {agency: ALM, externalCaseId: KZ-1}
                kind: PAROLE
                startsAt: 2026-01-01T00:00:00Z
                timeZone: Asia/Almaty
                riskLevel: LOW
            """;

    @TempDir
    Path dir;
    private Database db;

    @BeforeEach
    void emptyRegistry() throws Exception {
        db = SharedPostgres.database();
        SharedPostgres.truncateAll(db);
    }

    @Test
    void aPointZoneWithoutRadiusIsRefusedByTheImportAsByTheApi() throws Exception {
        String refusal = refused(HEAD + """
                zones:
                  - {agency: ALM, name: Home, geojson: {type: Polygon, coordinates: [[[76.9, 43.2], [76.91, 43.2], [76.91, 43.21], [76.9, 43.2]]]}}
                  - {agency: ALM, name: Victim home, geojson: {type: Point, coordinates: [76.9, 43.2]}}
                """);
        assertTrue(refusal.startsWith("zones[1] (name Victim home): invalid zone: ") && refusal.contains("radius_m"), refusal);
    }

    @Test
    void aKuzetBraceletWithoutAKeyIsRefusedByTheImportAsByTheApi() throws Exception {
        String refusal = refused(HEAD + """
                devices:
                  - {protocol: kuzet, number: 100001, role: BRACELET}
                """);
        assertTrue(refusal.startsWith("devices[0] (kuzet 100001): ") && refusal.contains("'secretKeyHex' of at least 16 bytes"),
                refusal);
    }

    @Test
    void aProximityRuleWithoutADistanceIsRefusedByTheImportAsByTheApi() throws Exception {
        String refusal = refused(HEAD + """
                devices:
                  - {protocol: gt06, number: 868120145233604, role: VICTIM_UNIT}
                """ + ORDER + """
                    rules:
                      - {name: Keep away, kind: PROXIMITY, victimDevice: {protocol: gt06, number: 868120145233604}}
                """);
        assertTrue(refusal.startsWith("orders[0] (legalReference ALM 1/2026): ")
                && refusal.contains("a proximity rule needs 'distanceM' > 0"), refusal);
    }

    @Test
    void aNegativeAbsenceLimitIsRefusedByTheImportAsByTheApi() throws Exception {
        String refusal = refused(HEAD + ORDER + "    noCommunicationLimitS: -60\n");
        assertTrue(refusal.startsWith("orders[0] (legalReference ALM 1/2026): 'noCommunicationLimitS' must be an integer in [0, "),
                refusal);
    }

    @Test
    void aScheduleExceptionWithoutAReasonIsRefusedByTheImportAsByTheApi() throws Exception {
        String refusal = refused(HEAD + """
                zones:
                  - {agency: ALM, name: Home, geojson: {type: Polygon, coordinates: [[[76.9, 43.2], [76.91, 43.2], [76.91, 43.21], [76.9, 43.2]]]}}
                """ + ORDER + """
                    rules:
                      - name: Curfew
                        kind: CURFEW
                        zone: Home
                        exceptions: [{date: 2026-06-01, start: '09:00', end: '13:00', action: remove}]
                """);
        assertTrue(refusal.startsWith("orders[0] (legalReference ALM 1/2026): ") && refusal.contains("'reason' is required"),
                refusal);
    }

    /** Imports {@code yaml}, expects the refusal and that nothing of the file was imported; answers the refusal. */
    private String refused(String yaml) throws Exception {
        Path file = dir.resolve("registry.yaml");
        Files.writeString(file, yaml);
        ProvisioningImporter.ProvisioningException e = assertThrows(ProvisioningImporter.ProvisioningException.class,
                () -> new ProvisioningImporter(db.dataSource()).importFile(file));
        assertEquals(0, count("select count(*) from agencies"), "nothing of the file is imported");
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    private long count(String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
