package io.kuzet.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.server.registry.ProvisioningImporter;
import io.kuzet.server.registry.RegistryExporter;
import io.kuzet.server.store.SharedPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator API stores what the provisioning import stores and scopes references as the import does, because both
 * write through the same registry repositories (the import side is {@code OneRegistryWritePathTest}); a registry set up
 * through the API exports and imports again unchanged.
 */
class RegistryWritePathApiTest {
    private static final String POLYGON = "{\"type\":\"Polygon\",\"coordinates\":[[[76.940,43.236],[76.950,43.236],"
            + "[76.950,43.241],[76.940,43.241],[76.940,43.236]]]}";

    @TempDir
    Path dataDir;
    ApiHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new ApiHarness(dataDir);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void theKindOfAZoneGivenToTheApiIsStoredAsTheImportStoresIt() throws Exception {
        String supervisor = h.login("sup-alm");
        String id = h.json("POST", "/api/v1/zones", supervisor,
                "{\"name\":\"Home\",\"kind\":\"RESIDENCE\",\"geojson\":" + POLYGON + "}", 201).get("id").asText();
        assertEquals(List.of("RESIDENCE"), h.strings("select kind from zones where id = " + id));
        h.json("PUT", "/api/v1/zones/" + id, supervisor, "{\"name\":\"Home, moved\",\"geojson\":" + POLYGON + "}", 200);
        assertEquals(List.of("RESIDENCE"), h.strings("select kind from zones where id = " + id), "an update without a kind keeps it");
    }

    @Test
    void aRuleOfOneAgencyCannotUseTheZoneOfAnotherEvenForAPlatformAdmin() throws Exception {
        String admin = h.login("admin");
        String astZone = h.json("POST", "/api/v1/zones", admin,
                "{\"agencyId\":\"2\",\"name\":\"Astana school\",\"geojson\":" + POLYGON + "}", 201).get("id").asText();
        HttpResponse<String> foreign = h.send("POST", "/api/v1/orders/100/rules", admin,
                "{\"name\":\"Stay away\",\"kind\":\"EXCLUSION\",\"zoneId\":\"" + astZone + "\"}");
        assertEquals(404, foreign.statusCode(), foreign.body());
        assertEquals(0, h.scalar("select count(*) from rules where zone_id = " + astZone));
    }

    @Test
    void allowedSourceNetworksGivenToTheApiReachTheRegistryAsFromTheImport() throws Exception {
        String admin = h.login("admin");
        long agency = h.json("POST", "/api/v1/agencies", admin,
                "{\"code\":\"KRG\",\"name\":\"Karaganda probation\",\"region\":\"Karaganda\",\"allowedSources\":[\"10.64.0.0/10\"]}", 201)
                .get("id").asLong();
        h.json("POST", "/api/v1/devices", admin, "{\"protocol\":\"gt06\",\"deviceNumber\":\"865000000000001\","
                + "\"role\":\"BRACELET\",\"allowedSources\":[\"192.0.2.17\"]}", 201);
        var registry = h.server.registry().snapshot();
        assertEquals(List.of("192.0.2.17"), registry.device("gt06", 865000000000001L).allowedSources().cidrs());
        assertEquals(List.of("10.64.0.0/10"), registry.agency(agency).allowedSources().cidrs());
        HttpResponse<String> bad = h.send("POST", "/api/v1/devices", admin, "{\"protocol\":\"gt06\",\"deviceNumber\":\"865000000000002\","
                + "\"role\":\"BRACELET\",\"allowedSources\":[\"10.0.0.0/40\"]}");
        assertEquals(400, bad.statusCode(), bad.body());
    }

    @Test
    void aRegistrySetUpThroughTheApiExportsAndImportsIntoAnEmptyDatabaseUnchanged(@TempDir Path dir) throws Exception {
        String admin = h.login("admin");
        String subject = h.json("POST", "/api/v1/subjects", admin,
                "{\"agencyId\":\"1\",\"externalCaseId\":\"KZ-2026-0003\",\"displayName\":\"New Subject\",\"preTrial\":true}", 201)
                .get("id").asText();
        String order = h.json("POST", "/api/v1/subjects/" + subject + "/orders", admin,
                "{\"legalReference\":\"Almaty court 2-555/2026\",\"kind\":\"HOUSE_ARREST\",\"startsAt\":\"2026-05-01T00:00:00Z\","
                        + "\"timeZone\":\"Asia/Almaty\",\"riskLevel\":\"HIGH\",\"noFixLimitS\":1800}", 201).get("id").asText();
        String zone = h.json("POST", "/api/v1/zones", admin,
                "{\"agencyId\":\"1\",\"name\":\"Home\",\"kind\":\"RESIDENCE\",\"geojson\":" + POLYGON + "}", 201).get("id").asText();
        String rule = h.json("POST", "/api/v1/orders/" + order + "/rules", admin, "{\"name\":\"Curfew\",\"kind\":\"CURFEW\","
                + "\"zoneId\":\"" + zone + "\",\"graceM\":25,\"schedule\":[{\"weekday\":1,\"start\":\"22:00\",\"end\":\"06:00\"}],"
                + "\"exceptions\":[{\"date\":\"2026-06-01\",\"start\":\"09:00\",\"end\":\"13:00\",\"action\":\"remove\","
                + "\"reason\":\"Court hearing\"}]}", 201).get("id").asText();
        h.json("POST", "/api/v1/rules/" + rule + "/exceptions", admin, "{\"date\":\"2026-06-02\",\"start\":\"22:00\","
                + "\"end\":\"23:00\",\"action\":\"add\",\"reason\":\"Extra night\"}", 201);
        String device = h.json("POST", "/api/v1/devices", admin, "{\"protocol\":\"kuzet\",\"deviceNumber\":\"100002\","
                + "\"role\":\"BRACELET\",\"secretKeyHex\":\"000102030405060708090a0b0c0d0e0f\",\"firmware\":\"2.1\"}", 201)
                .get("id").asText();
        h.json("POST", "/api/v1/devices/" + device + "/assign", admin,
                "{\"subjectId\":\"" + subject + "\",\"at\":\"2026-05-01T00:00:00Z\"}", 200);

        Path first = dir.resolve("first.yaml");
        new RegistryExporter(h.db.dataSource()).exportTo(first);
        SharedPostgres.truncateAll(h.db);
        new ProvisioningImporter(h.db.dataSource()).importFile(first);
        Path second = dir.resolve("second.yaml");
        new RegistryExporter(h.db.dataSource()).exportTo(second);

        String exported = Files.readString(first);
        assertEquals(exported, Files.readString(second));
        assertTrue(exported.contains("kind: \"RESIDENCE\"") && exported.contains("Court hearing") && exported.contains("Extra night")
                && exported.contains("graceM: 25.0") && exported.contains("firmware: \"2.1\""), exported);
    }
}
