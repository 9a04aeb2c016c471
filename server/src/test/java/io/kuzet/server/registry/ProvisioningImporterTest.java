package io.kuzet.server.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.server.store.Database;
import io.kuzet.server.store.SharedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class ProvisioningImporterTest {
    private static final String TABLES = "agencies, users, subjects, zones, devices, device_assignments, orders, rules, "
            + "schedules, schedule_exceptions";

    private Database db;
    private Path example;

    @BeforeEach
    void emptyRegistry() throws Exception {
        db = SharedPostgres.database();
        SharedPostgres.truncateAll(db);
        example = Path.of(ProvisioningImporterTest.class.getResource("/provisioning/example.yaml").toURI());
    }

    @Test
    void importingTheExampleTwiceLeavesTheSameRows() throws Exception {
        ProvisioningImporter importer = new ProvisioningImporter(db.dataSource());
        importer.importFile(example);
        String first = dump();
        importer.importFile(example);
        assertEquals(first, dump());
        assertTrue(first.contains("schedules=7"), first);
    }

    @Test
    void registryLoadsWhatTheExampleProvisions() throws Exception {
        new ProvisioningImporter(db.dataSource()).importFile(example);
        RegistrySnapshot registry = new RegistryRepository(db.dataSource()).load();

        DeviceRecord bracelet = registry.device("kuzet", 100001);
        assertNotNull(bracelet);
        assertEquals(DeviceRole.BRACELET, bracelet.role());
        assertArrayEquals(HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"),
                bracelet.secretKey());
        SubjectRecord subject = registry.subject(bracelet.subjectId());
        assertEquals("KZ-2026-0001", subject.externalCaseId());

        OrderRecord order = registry.activeOrder(subject.id(), Instant.parse("2026-03-01T12:00:00Z").toEpochMilli());
        assertEquals(OrderKind.PRE_TRIAL_RESTRICTION, order.kind());
        assertEquals(ZoneId.of("Asia/Almaty"), order.timeZone());
        assertEquals(RiskLevel.HIGH, order.riskLevel());
        assertNull(registry.activeOrder(subject.id(), Instant.parse("2026-08-01T00:00:00Z").toEpochMilli()));

        List<RuleRecord> rules = registry.rules(order.id());
        assertEquals(3, rules.size());
        RuleRecord curfew = rules.stream().filter(r -> r.kind().equals("CURFEW")).findFirst().orElseThrow();
        assertEquals(7, curfew.windows().size());
        assertEquals(new RuleRecord.Window(DayOfWeek.MONDAY, LocalTime.of(22, 0), LocalTime.of(6, 0)), curfew.windows().get(0));
        assertEquals("Approved night shift", curfew.exceptions().get(0).reason());
        assertTrue(registry.zone(curfew.zoneId()).geoJson().contains("Polygon"));
        RuleRecord proximity = rules.stream().filter(r -> r.kind().equals("PROXIMITY")).findFirst().orElseThrow();
        assertEquals(registry.device("gt06", 868120145233604L).id(), proximity.victimDeviceId());
        assertEquals(0, registry.device("gt06", 868120145233604L).subjectId());
        assertEquals(2, registry.assignedDevices().size());
    }

    @Test
    void reassigningADeviceKeepsItsHistory(@TempDir Path dir) throws Exception {
        ProvisioningImporter importer = new ProvisioningImporter(db.dataSource());
        importer.importFile(example);
        Path moved = dir.resolve("moved.yaml");
        Files.writeString(moved, """
                assignments:
                  - device: {protocol: kuzet, number: 100001}
                    subject: {agency: ALM, externalCaseId: KZ-2026-0002}
                    assignedAt: 2026-04-01T00:00:00Z
                """);
        importer.importFile(moved);
        importer.importFile(moved);
        assertEquals(3, count("select count(*) from device_assignments"));
        assertEquals(1, count("select count(*) from device_assignments where unassigned_at = '2026-04-01T00:00:00Z'"));
        RegistrySnapshot registry = new RegistryRepository(db.dataSource()).load();
        assertEquals("KZ-2026-0002", registry.subject(registry.device("kuzet", 100001).subjectId()).externalCaseId());
    }

    @Test
    void fileReferringToAnUnknownSubjectImportsNothing(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                agencies:
                  - {code: AST, name: Astana probation, region: Astana}
                orders:
                  - legalReference: "X-1"
                    subject: {agency: AST, externalCaseId: NOPE}
                    kind: PAROLE
                    startsAt: 2026-01-01T00:00:00Z
                    timeZone: Asia/Almaty
                    riskLevel: LOW
                """);
        assertThrows(IllegalArgumentException.class, () -> new ProvisioningImporter(db.dataSource()).importFile(bad));
        assertEquals(0, count("select count(*) from agencies"));
    }

    @Test
    void proximityRuleCannotNameAVictimUnitOfAnotherAgency(@TempDir Path dir) throws Exception {
        new ProvisioningImporter(db.dataSource()).importFile(example); // ALM's rule ties the gt06 victim unit to ALM
        Path foreign = dir.resolve("foreign.yaml");
        Files.writeString(foreign, """
                agencies:
                  - {code: AST, name: Astana probation, region: Astana}
                subjects:
                  - {agency: AST, externalCaseId: AST-1, displayName: Other}
                orders:
                  - legalReference: "AST court 1"
                    subject: {agency: AST, externalCaseId: AST-1}
                    kind: PAROLE
                    startsAt: 2026-01-01T00:00:00Z
                    timeZone: Asia/Almaty
                    riskLevel: LOW
                    rules:
                      - name: Keep away
                        kind: PROXIMITY
                        victimDevice: {protocol: gt06, number: 868120145233604}
                        distanceM: 500
                """);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new ProvisioningImporter(db.dataSource()).importFile(foreign));
        assertTrue(refused.getMessage().contains("not a victim unit of this agency"), refused.getMessage());
        assertEquals(0, count("select count(*) from agencies where code = 'AST'"), "nothing of the file is imported");
    }

    @Test
    void eachImportReachesTheAuditSinkOnceWithItsDigestAndCounts() throws Exception {
        List<String> seen = new java.util.ArrayList<>();
        new ProvisioningImporter(db.dataSource(), (c, source, sha256, counts) -> seen.add(sha256 + " " + counts)).importFile(example);
        assertEquals(1, seen.size());
        String digest = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(example)));
        assertTrue(seen.get(0).startsWith(digest + " {agencies="), seen.get(0));
        assertTrue(seen.get(0).contains("rules=3"), seen.get(0));
    }

    @Test
    void allowedSourceNetworksOfAgenciesAndDevicesReachTheRegistryAndBadBlocksImportNothing(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sources.yaml");
        Files.writeString(file, """
                agencies:
                  - {code: AST, name: Astana probation, region: Astana, allowedSources: [10.64.0.0/10, "2001:db8:40::/48"]}
                subjects:
                  - {agency: AST, externalCaseId: C-1, displayName: One}
                devices:
                  - {protocol: gt06, number: 865000000000001, allowedSources: [192.0.2.17]}
                  - {protocol: gt06, number: 865000000000002}
                assignments:
                  - device: {protocol: gt06, number: 865000000000002}
                    subject: {agency: AST, externalCaseId: C-1}
                    assignedAt: 2026-01-01T00:00:00Z
                """);
        new ProvisioningImporter(db.dataSource()).importFile(file);
        RegistryHolder registry = new RegistryHolder(new RegistryRepository(db.dataSource()).load());
        DeviceRecord own = registry.snapshot().device("gt06", 865000000000001L);
        DeviceRecord viaAgency = registry.snapshot().device("gt06", 865000000000002L);
        assertEquals(List.of("192.0.2.17"), registry.allowedSources(own).cidrs());
        assertEquals(List.of("10.64.0.0/10", "2001:db8:40::/48"), registry.allowedSources(viaAgency).cidrs());

        Path bad = dir.resolve("bad-sources.yaml");
        Files.writeString(bad, """
                agencies:
                  - {code: KRG, name: Karaganda probation, region: Karaganda, allowedSources: [10.0.0.0/40]}
                """);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ProvisioningImporter(db.dataSource()).importFile(bad));
        assertTrue(e.getMessage().contains("agency KRG"), e.getMessage());
        assertEquals(0, count("select count(*) from agencies where code = 'KRG'"));
    }

    /**
     * A registry above SnakeYAML's default 3 MiB imports in one run. 5,000 subjects by default (6 MB); the
     * 100,000-subject measurement of docs/provisioning.md runs with {@code -Dkuzet.provisioningSubjects=100000}.
     */
    @Test
    void aLargeRegistryImportsInOneRun(@TempDir Path dir) throws Exception {
        int n = Integer.getInteger("kuzet.provisioningSubjects", 5_000);
        Path big = dir.resolve("registry.yaml");
        writeRegistry(big, n, "ALM");
        java.util.List<java.util.Map<String, Integer>> audited = new java.util.ArrayList<>();
        long started = System.nanoTime();
        new ProvisioningImporter(db.dataSource(), (c, source, sha, counts) -> audited.add(counts)).importFile(big);
        long ms = (System.nanoTime() - started) / 1_000_000;
        org.slf4j.LoggerFactory.getLogger(ProvisioningImporterTest.class).info(
                "imported {} bytes, {} subjects, in {} ms", Files.size(big), n, ms);
        assertTrue(Files.size(big) > 3 * 1024 * 1024, "larger than SnakeYAML's default limit");
        assertEquals(n, count("select count(*) from subjects"));
        assertEquals(n, count("select count(*) from device_assignments where unassigned_at is null"));
        assertEquals(7L * n, count("select count(*) from schedules"));
        assertEquals(1, audited.size(), "one audit entry per import");
        assertEquals(n, audited.get(0).get("subjects"));
    }

    @Test
    void anEntryWithAnUnknownAgencyIsNamedInOneLineAndNothingIsImported(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        writeRegistry(bad, 2000, "ALM");
        String text = Files.readString(bad).replace("agency: ALM, externalCaseId: KZ-0001234, displayName",
                "agency: XYZ, externalCaseId: KZ-0001234, displayName");
        Files.writeString(bad, text);
        ProvisioningImporter.ProvisioningException e = assertThrows(ProvisioningImporter.ProvisioningException.class,
                () -> new ProvisioningImporter(db.dataSource()).importFile(bad));
        assertEquals("subjects[1234] (externalCaseId KZ-0001234): unknown agency XYZ", e.getMessage());
        assertEquals(0, count("select count(*) from agencies"));
        assertEquals(0, count("select count(*) from subjects"));
    }

    /** The import streams: an entry is resolved when read, so the sections it refers to must be above it. */
    @Test
    void anEntryAboveTheSectionItRefersToIsNamedWithTheOrderNeededAndNothingIsImported(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                agencies:
                  - {code: ALM, name: Almaty, region: Almaty}
                orders:
                  - {legalReference: ORD-1, subject: {agency: ALM, externalCaseId: KZ-1}, kind: PAROLE,
                     startsAt: 2026-01-01T00:00:00Z, timeZone: Asia/Almaty, riskLevel: LOW}
                subjects:
                  - {agency: ALM, externalCaseId: KZ-1, displayName: One}
                """);
        ProvisioningImporter.ProvisioningException e = assertThrows(ProvisioningImporter.ProvisioningException.class,
                () -> new ProvisioningImporter(db.dataSource()).importFile(bad));
        assertEquals("orders[0] (legalReference ORD-1): unknown subject ALM KZ-1; an entry may only refer to entries "
                + "above it: put subjects, zones, devices above orders", e.getMessage());
        assertEquals(0, count("select count(*) from agencies"));
    }

    @Test
    void aSectionBelowOneThatRefersToItIsRefusedByNameEvenWhenItsRowsExist(@TempDir Path dir) throws Exception {
        new ProvisioningImporter(db.dataSource()).importFile(example);
        String before = counts();
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                assignments:
                  - {device: {protocol: watch, number: 3548700123}, subject: {agency: ALM, externalCaseId: KZ-2026-0002},
                     assignedAt: 2025-11-01T00:00:00Z}
                subjects:
                  - {agency: ALM, externalCaseId: KZ-2026-0009, displayName: Nine}
                """);
        ProvisioningImporter.ProvisioningException e = assertThrows(ProvisioningImporter.ProvisioningException.class,
                () -> new ProvisioningImporter(db.dataSource()).importFile(bad));
        assertEquals(bad + ": subjects (line 4): must come before assignments, which refers to it; give the sections in "
                + "the order [agencies, users, subjects, zones, devices, orders, assignments]", e.getMessage());
        assertEquals(before, counts());
    }

    @Test
    void anUnknownFieldIsNamedWithItsEntryInOneLine(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        writeRegistry(bad, 20, "ALM");
        Files.writeString(bad, Files.readString(bad).replace("{agency: ALM, externalCaseId: KZ-0000007,",
                "{agency: ALM, colour: red, externalCaseId: KZ-0000007,"));
        ProvisioningImporter.ProvisioningException e = assertThrows(ProvisioningImporter.ProvisioningException.class,
                () -> new ProvisioningImporter(db.dataSource()).importFile(bad));
        assertTrue(e.getMessage().contains("subjects[7].colour") && !e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void anExportedRegistryImportsIntoAnEmptyDatabaseAsTheSameRegistry(@TempDir Path dir) throws Exception {
        Path generated = dir.resolve("generated.yaml");
        writeRegistry(generated, 50, "AST");
        ProvisioningImporter importer = new ProvisioningImporter(db.dataSource());
        importer.importFile(example);
        importer.importFile(generated);
        Path first = dir.resolve("first.yaml");
        assertEquals(52, new RegistryExporter(db.dataSource()).exportTo(first));
        String before = counts();

        SharedPostgres.truncateAll(db);
        importer.importFile(first);
        Path second = dir.resolve("second.yaml");
        new RegistryExporter(db.dataSource()).exportTo(second);

        assertEquals(Files.readString(first), Files.readString(second));
        assertEquals(before, counts());
        assertTrue(Files.readString(first).contains("Approved night shift"));
        assertTrue(Files.readString(first).contains("officerName: \"Aigerim Sadykova\"") || Files.readString(first).contains("officerName: Aigerim Sadykova"),
                "the officer and numbers travel with the subject");
        RegistrySnapshot registry = new RegistryRepository(db.dataSource()).load();
        assertEquals(7, registry.rules(registry.activeOrder(registry.device("kuzet", 100001).subjectId(),
                Instant.parse("2026-03-01T12:00:00Z").toEpochMilli()).id()).stream()
                .filter(r -> r.kind().equals("CURFEW")).findFirst().orElseThrow().windows().size());
    }

    private String counts() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (String table : TABLES.split(", ")) {
            String where = table.equals("device_assignments") ? " where unassigned_at is null" : "";
            sb.append(table).append('=').append(count("select count(*) from " + table + where)).append(' ');
        }
        return sb.toString();
    }

    /**
     * A provisioning file of {@code n} subjects, each with a home zone, a bracelet, an order with a curfew of seven
     * windows and an exclusion rule, and an assignment (about 600 bytes a subject).
     */
    public static void writeRegistry(Path file, int n, String agency) throws java.io.IOException {
        try (java.io.BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write("agencies:\n  - {code: " + agency + ", name: Registry test agency, region: Almaty}\n");
            w.write("zones:\n  - {agency: " + agency + ", name: Victim area, kind: EXCLUSION_AREA, geojson: {type: Feature, "
                    + "properties: {radius_m: 300}, geometry: {type: Point, coordinates: [76.9286, 43.2567]}}}\n");
            for (int i = 0; i < n; i++) {
                double lon = 76.9 + (i % 300) * 0.0003;
                double lat = 43.2 + (i / 300) * 0.0003;
                w.write(String.format(java.util.Locale.ROOT, "  - {agency: %s, name: Home %d, kind: RESIDENCE, geojson: {type: Polygon, "
                        + "coordinates: [[[%.5f, %.5f], [%.5f, %.5f], [%.5f, %.5f], [%.5f, %.5f], [%.5f, %.5f]]]}}%n", agency, i,
                        lon, lat, lon + 0.0002, lat, lon + 0.0002, lat + 0.0002, lon, lat + 0.0002, lon, lat));
            }
            w.write("subjects:\n");
            for (int i = 0; i < n; i++) {
                w.write(String.format(java.util.Locale.ROOT, "  - {agency: %s, externalCaseId: KZ-%07d, displayName: Subject %d}%n",
                        agency, i, i));
            }
            w.write("devices:\n");
            for (int i = 0; i < n; i++) {
                w.write(String.format(java.util.Locale.ROOT, "  - {protocol: kuzet, number: %d, secretKey: %064x}%n", 500_000 + i, i));
            }
            w.write("orders:\n");
            for (int i = 0; i < n; i++) {
                w.write(String.format(java.util.Locale.ROOT, "  - {legalReference: ORD-%07d, subject: {agency: %s, externalCaseId: KZ-%07d}, "
                        + "kind: HOUSE_ARREST, startsAt: 2026-01-01T00:00:00Z, timeZone: Asia/Almaty, riskLevel: MEDIUM, rules: ["
                        + "{name: curfew, kind: CURFEW, zone: Home %d, schedule: [", i, agency, i, i));
                for (String day : List.of("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")) {
                    w.write("{weekday: " + day + ", start: '22:00', end: '06:00'}" + (day.equals("SUNDAY") ? "" : ", "));
                }
                w.write("]}, {name: victim area, kind: EXCLUSION, zone: Victim area}]}\n");
            }
            w.write("assignments:\n");
            for (int i = 0; i < n; i++) {
                w.write(String.format(java.util.Locale.ROOT, "  - {device: {protocol: kuzet, number: %d}, subject: {agency: %s, "
                        + "externalCaseId: KZ-%07d}, assignedAt: 2026-01-01T00:00:00Z}%n", 500_000 + i, agency, i));
            }
        }
    }

    private String dump() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (String table : TABLES.split(", ")) {
            sb.append(table).append('=').append(count("select count(*) from " + table)).append(' ');
            sb.append(count("select coalesce(sum(hashtext(t::text)), 0) from " + table + " t")).append('\n');
        }
        return sb.toString();
    }

    private long count(String sql) throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
