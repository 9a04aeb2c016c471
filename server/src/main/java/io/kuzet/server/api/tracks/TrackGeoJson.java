package io.kuzet.server.api.tracks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kuzet.server.api.http.Json;
import io.kuzet.server.store.TrackPoint;
import java.util.List;

/** Writes stored fixes as GeoJSON ([longitude, latitude], RFC 7946). Stateless, thread-safe; linear in the points. */
final class TrackGeoJson {
    private TrackGeoJson() {
    }

    /** One Point Feature per fix and, when {@code withLine} and there are two or more, a LineString of the track. */
    static ObjectNode featureCollection(List<TrackPoint> points, boolean withLine) {
        ArrayNode features = Json.array();
        ArrayNode line = Json.array();
        for (TrackPoint p : points) {
            ObjectNode f = features.addObject().put("type", "Feature");
            ObjectNode g = f.putObject("geometry").put("type", "Point");
            g.putArray("coordinates").add(p.lon()).add(p.lat());
            ObjectNode props = f.putObject("properties").put("time", p.fixTime().toString())
                    .put("subjectId", Long.toString(p.subjectId())).put("deviceId", Long.toString(p.deviceId()))
                    .put("speedKmh", p.speedKmh()).put("headingDeg", p.headingDeg()).put("satellites", p.satellites());
            // how far the point can be trusted to come from the device (docs/device-trust.md); null before it was recorded
            props.put("assurance", p.assurance());
            if (Double.isNaN(p.accuracyMetres())) {
                props.putNull("accuracyM");
            } else {
                props.put("accuracyM", p.accuracyMetres());
            }
            line.addArray().add(p.lon()).add(p.lat());
        }
        if (withLine && points.size() >= 2) {
            ObjectNode f = features.addObject().put("type", "Feature");
            f.putObject("geometry").put("type", "LineString").set("coordinates", line);
            f.putObject("properties").put("kind", "track");
        }
        return Json.object().put("type", "FeatureCollection").set("features", features);
    }
}
