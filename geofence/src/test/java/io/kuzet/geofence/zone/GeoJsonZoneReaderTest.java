package io.kuzet.geofence.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.geofence.GeofenceValidationException;
import io.kuzet.geofence.projection.FixPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GeoJsonZoneReaderTest {
    private static final String SQUARE_WITH_HOLE = """
            {"type":"Feature","properties":{"name":"Park"},"geometry":{"type":"Polygon","coordinates":[
              [[76.90,43.20],[76.92,43.20],[76.92,43.22],[76.90,43.22],[76.90,43.20]],
              [[76.905,43.205],[76.915,43.205],[76.915,43.215],[76.905,43.215],[76.905,43.205]]]}}""";

    @Test
    void featurePolygonWithHoleIsOutsideInTheHole() {
        Zone zone = GeoJsonZoneReader.read(null, SQUARE_WITH_HOLE);
        assertEquals("Park", zone.name());
        assertEquals(ZoneShape.POLYGON, zone.shape());
        FixPosition fix = new FixPosition();
        assertTrue(zone.signedDistanceMetres(fix.set(43.201, 76.901)) > 0, "in the ring");
        assertTrue(zone.signedDistanceMetres(fix.set(43.21, 76.91)) < -300, "in the hole");
    }

    @Test
    void pointFeatureWithRadiusBecomesACircle() {
        Zone zone = GeoJsonZoneReader.read(null, """
                {"type":"Feature","properties":{"name":"Victim home","radius_m":150},
                 "geometry":{"type":"Point","coordinates":[71.43,51.13]}}""");
        assertEquals(ZoneShape.CIRCLE, zone.shape());
        assertEquals(150, zone.signedDistanceMetres(new FixPosition().set(51.13, 71.43)), 1e-6);
    }

    @Test
    void lineStringFeatureWithWidthBecomesACorridor() {
        Zone zone = GeoJsonZoneReader.read(null, """
                {"type":"Feature","properties":{"name":"Route to work","width_m":100},
                 "geometry":{"type":"LineString","coordinates":[[71.40,51.10],[71.45,51.12]]}}""");
        assertEquals(ZoneShape.CORRIDOR, zone.shape());
        assertEquals(50, zone.signedDistanceMetres(new FixPosition().set(51.10, 71.40)), 0.01);
    }

    @Test
    void bareGeometriesTakeExplicitParameters() {
        Zone circle = GeoJsonZoneReader.readCircle("School 12", "{\"type\":\"Point\",\"coordinates\":[76.9,43.2]}",
                300);
        Zone corridor = GeoJsonZoneReader.readCorridor("Route", """
                {"type":"LineString","coordinates":[[76.9,43.2],[76.95,43.25]]}""", 80);
        assertEquals(ZoneShape.CIRCLE, circle.shape());
        assertEquals(80, ((CorridorZone) corridor).widthMetres(), 1e-9);
    }

    @Test
    void multiPolygonCountsBothParts() {
        Zone zone = GeoJsonZoneReader.read("Two sites", """
                {"type":"MultiPolygon","coordinates":[
                 [[[76.90,43.20],[76.91,43.20],[76.91,43.21],[76.90,43.20]]],
                 [[[77.00,43.20],[77.01,43.20],[77.01,43.21],[77.00,43.20]]]]}""");
        FixPosition fix = new FixPosition();
        assertTrue(zone.signedDistanceMetres(fix.set(43.202, 76.908)) > 0);
        assertTrue(zone.signedDistanceMetres(fix.set(43.202, 77.008)) > 0);
        assertTrue(zone.signedDistanceMetres(fix.set(43.202, 76.95)) < 0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "self-intersecting bow tie|{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}"
            + "|Self-intersection",
        "too few points|{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,1],[0,0]]]}|at least 4 positions",
        "ring not closed|{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1]]]}|not closed",
        "latitude out of range|{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,95],[0,0]]]}|out of range",
        "longitude and latitude swapped|{\"type\":\"Feature\",\"properties\":{\"radius_m\":50},"
            + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[43.2,176.9]}}|[longitude, latitude]",
        "zero radius|{\"type\":\"Feature\",\"properties\":{\"radius_m\":0},"
            + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,1]}}|radius_m must be a positive",
        "missing radius|{\"type\":\"Point\",\"coordinates\":[1,1]}|needs properties.radius_m",
        "negative width|{\"type\":\"Feature\",\"properties\":{\"width_m\":-5},"
            + "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[1,1],[1,2]]}}|width_m must be a positive",
        "zone too large|{\"type\":\"Polygon\",\"coordinates\":[[[60,40],[80,40],[80,50],[60,40]]]}|too large",
        "unsupported type|{\"type\":\"GeometryCollection\",\"geometries\":[]}|unsupported geometry type",
        "malformed json|{\"type\":\"Polygon\",|Malformed GeoJSON",
    })
    void invalidZonesAreRefusedWithAnActionableMessage(String what, String json, String expected) {
        GeofenceValidationException e = assertThrows(GeofenceValidationException.class,
                () -> GeoJsonZoneReader.read("Zone X", json));
        assertTrue(e.getMessage().contains(expected), what + ": " + e.getMessage());
    }
}
