package io.kuzet.server.api.tracks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kuzet.server.store.TrackPoint;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An evidence export says, for every fix, how far it can be trusted to come from the device (docs/device-trust.md). */
class EvidenceExportAssuranceTest {
    private static final Instant T = Instant.parse("2026-02-10T10:00:00Z");
    private static final List<TrackPoint> FIXES = List.of(
            new TrackPoint(1, 10, T, 43.3, 76.9, 850, 4.2, 90, 8.0, 0.9, 9, 1, "AUTHENTICATED"),
            new TrackPoint(2, 10, T.plusSeconds(60), 43.3, 76.9, 850, 4.2, 90, 8.0, 0.9, 9, 1, "IMEI_ONLY"),
            new TrackPoint(2, 10, T.plusSeconds(120), 43.3, 76.9, 850, 4.2, 90, 8.0, 0.9, 9, 1, null));

    @Test
    void csvCarriesTheAssuranceOfEachFix() {
        String[] lines = EvidenceExport.csv(FIXES, List.of(), List.of()).split("\r\n");
        assertTrue(lines[0].endsWith(",assurance"), lines[0]);
        assertTrue(lines[1].endsWith(",AUTHENTICATED"), lines[1]);
        assertTrue(lines[2].endsWith(",IMEI_ONLY"), lines[2]);
        assertTrue(lines[3].endsWith(","), "unrecorded assurance is empty: " + lines[3]);
        for (String line : lines) {
            assertEquals(14, line.chars().filter(c -> c == ',').count(), line);
        }
    }

    @Test
    void geoJsonCarriesTheAssurancePerPointAndCountsThemInItsHeader() throws Exception {
        JsonNode fc = new ObjectMapper().readTree(EvidenceExport.geoJson(10, T, T.plusSeconds(3600), FIXES, List.of(), List.of()));
        assertEquals("AUTHENTICATED", fc.at("/features/0/properties/assurance").asText());
        assertEquals("IMEI_ONLY", fc.at("/features/1/properties/assurance").asText());
        assertTrue(fc.at("/features/2/properties/assurance").isNull());
        JsonNode counts = fc.at("/properties/fixesByAssurance");
        assertEquals(1, counts.get("AUTHENTICATED").asInt());
        assertEquals(0, counts.get("LOGIN_AUTHENTICATED").asInt());
        assertEquals(1, counts.get("IMEI_ONLY").asInt());
        assertEquals(1, counts.get("UNRECORDED").asInt());
    }
}
