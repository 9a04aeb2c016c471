package io.kuzet.server.api.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import io.kuzet.server.store.TrackPoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A static map for the printed incident report: the breached zone (a circle for a point zone with
 * {@code radius_m}, the outer rings of a polygon), the track as a line with a dot per fix and the triggering fix
 * emphasised with its accuracy circle, in a local equirectangular projection (metres east and north of the
 * drawing's centre; exact enough for the few kilometres an incident spans). No tiles: it prints anywhere. Stateless.
 */
final class IncidentMapSvg {
    static final int WIDTH = 640;
    static final int HEIGHT = 420;
    private static final double M_PER_DEG_LAT = 110_540;
    private static final double M_PER_DEG_LON_EQUATOR = 111_320;

    private IncidentMapSvg() {
    }

    /** @param zone the zone's GeoJSON Feature (or null), {@code trigger} the alert's fix time (or null) */
    static String svg(JsonNode zone, List<TrackPoint> track, Instant trigger) {
        List<double[]> extent = new ArrayList<>(); // lon, lat, radius metres
        track.forEach(t -> extent.add(new double[] {t.lon(), t.lat(), 0}));
        JsonNode geometry = zone == null ? null : zone.path("geometry");
        double radius = zone == null ? 0 : zone.path("properties").path("radius_m").asDouble(0);
        List<List<double[]>> rings = rings(geometry);
        rings.forEach(ring -> ring.forEach(v -> extent.add(new double[] {v[0], v[1], 0})));
        if (geometry != null && "Point".equals(geometry.path("type").asText())) {
            extent.add(new double[] {geometry.path("coordinates").path(0).asDouble(), geometry.path("coordinates").path(1).asDouble(), radius});
        }
        StringBuilder svg = new StringBuilder("<svg id=\"incident-map\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(HEIGHT).append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" role=\"img\"><rect width=\"100%\" height=\"100%\" fill=\"#f4f6f8\" stroke=\"#99a\"/>");
        if (extent.isEmpty()) {
            return svg.append("</svg>").toString();
        }
        Projection p = Projection.fit(extent);
        for (List<double[]> ring : rings) {
            svg.append("<path class=\"zone\" d=\"");
            for (int i = 0; i < ring.size(); i++) {
                svg.append(i == 0 ? 'M' : 'L').append(p.x(ring.get(i)[0])).append(',').append(p.y(ring.get(i)[1])).append(' ');
            }
            svg.append("Z\" fill=\"#e63946\" fill-opacity=\"0.18\" stroke=\"#b00020\" stroke-width=\"2\"/>");
        }
        if (geometry != null && "Point".equals(geometry.path("type").asText())) {
            double lon = geometry.path("coordinates").path(0).asDouble();
            double lat = geometry.path("coordinates").path(1).asDouble();
            svg.append("<circle class=\"zone\" cx=\"").append(p.x(lon)).append("\" cy=\"").append(p.y(lat)).append("\" r=\"")
                    .append(p.metres(radius)).append("\" fill=\"#e63946\" fill-opacity=\"0.18\" stroke=\"#b00020\" stroke-width=\"2\"/>");
        }
        if (track.size() > 1) {
            svg.append("<polyline class=\"track\" fill=\"none\" stroke=\"#1d3557\" stroke-width=\"2\" points=\"");
            track.forEach(t -> svg.append(p.x(t.lon())).append(',').append(p.y(t.lat())).append(' '));
            svg.append("\"/>");
        }
        TrackPoint triggering = nearest(track, trigger);
        for (TrackPoint t : track) {
            if (t != triggering) {
                svg.append("<circle class=\"fix\" cx=\"").append(p.x(t.lon())).append("\" cy=\"").append(p.y(t.lat()))
                        .append("\" r=\"2.5\" fill=\"#1d3557\"/>");
            }
        }
        if (triggering != null) {
            double accuracy = Double.isNaN(triggering.accuracyMetres()) ? 0 : triggering.accuracyMetres();
            svg.append("<circle class=\"accuracy\" cx=\"").append(p.x(triggering.lon())).append("\" cy=\"").append(p.y(triggering.lat()))
                    .append("\" r=\"").append(p.metres(Math.max(accuracy, 6 / p.pixelsPerMetre()))).append("\" fill=\"#ffb703\" fill-opacity=\"0.35\" stroke=\"#fb8500\"/>")
                    .append("<circle class=\"trigger\" cx=\"").append(p.x(triggering.lon())).append("\" cy=\"").append(p.y(triggering.lat()))
                    .append("\" r=\"5\" fill=\"#fb8500\" stroke=\"#000\"/>");
        }
        double barMetres = p.scaleBarMetres();
        svg.append("<g class=\"scale\"><line x1=\"12\" y1=\"").append(HEIGHT - 14).append("\" x2=\"").append(String.format(Locale.ROOT, "%.1f", 12 + barMetres * p.pixelsPerMetre()))
                .append("\" y2=\"").append(HEIGHT - 14).append("\" stroke=\"#000\" stroke-width=\"3\"/><text x=\"12\" y=\"")
                .append(HEIGHT - 20).append("\" font-size=\"11\">").append(barMetres >= 1000 ? (long) (barMetres / 1000) + " km" : (long) barMetres + " m")
                .append("</text></g>");
        return svg.append("</svg>").toString();
    }

    /** The fix closest in time to the alert's fix. */
    static TrackPoint nearest(List<TrackPoint> track, Instant trigger) {
        TrackPoint best = null;
        long bestGap = Long.MAX_VALUE;
        if (trigger == null) {
            return null;
        }
        for (TrackPoint t : track) {
            long gap = Math.abs(t.fixTime().toEpochMilli() - trigger.toEpochMilli());
            if (gap < bestGap) {
                best = t;
                bestGap = gap;
            }
        }
        return best;
    }

    /** Outer rings of a Polygon or MultiPolygon as lon/lat pairs; empty for anything else. */
    private static List<List<double[]>> rings(JsonNode geometry) {
        List<List<double[]>> out = new ArrayList<>();
        if (geometry == null) {
            return out;
        }
        switch (geometry.path("type").asText()) {
            case "Polygon" -> out.add(ring(geometry.path("coordinates").path(0)));
            case "MultiPolygon" -> geometry.path("coordinates").forEach(polygon -> out.add(ring(polygon.path(0))));
            default -> { }
        }
        return out;
    }

    private static List<double[]> ring(JsonNode coordinates) {
        List<double[]> ring = new ArrayList<>();
        coordinates.forEach(v -> ring.add(new double[] {v.path(0).asDouble(), v.path(1).asDouble()}));
        return ring;
    }

    /** Lon/lat to SVG pixels: centred on the extent, one scale for both axes, a margin around. */
    private record Projection(double lon0, double lat0, double metresPerDegLon, double pixelsPerMetre) {
        static Projection fit(List<double[]> extent) {
            double minLon = Double.MAX_VALUE, maxLon = -Double.MAX_VALUE, minLat = Double.MAX_VALUE, maxLat = -Double.MAX_VALUE;
            for (double[] e : extent) {
                double dLat = e[2] / M_PER_DEG_LAT;
                double dLon = e[2] / (M_PER_DEG_LON_EQUATOR * Math.cos(Math.toRadians(e[1])));
                minLon = Math.min(minLon, e[0] - dLon);
                maxLon = Math.max(maxLon, e[0] + dLon);
                minLat = Math.min(minLat, e[1] - dLat);
                maxLat = Math.max(maxLat, e[1] + dLat);
            }
            double lat0 = (minLat + maxLat) / 2;
            double mLon = M_PER_DEG_LON_EQUATOR * Math.cos(Math.toRadians(lat0));
            double widthM = Math.max((maxLon - minLon) * mLon, 50);
            double heightM = Math.max((maxLat - minLat) * M_PER_DEG_LAT, 50);
            double scale = Math.min((WIDTH * 0.85) / widthM, (HEIGHT * 0.85) / heightM);
            return new Projection((minLon + maxLon) / 2, lat0, mLon, scale);
        }

        String x(double lon) {
            return fmt(WIDTH / 2.0 + (lon - lon0) * metresPerDegLon * pixelsPerMetre);
        }

        String y(double lat) {
            return fmt(HEIGHT / 2.0 - (lat - lat0) * M_PER_DEG_LAT * pixelsPerMetre);
        }

        String metres(double m) {
            return fmt(m * pixelsPerMetre);
        }

        /** A round length (1, 2 or 5 times a power of ten) about a fifth of the drawing's width. */
        double scaleBarMetres() {
            double target = WIDTH / 5.0 / pixelsPerMetre;
            double power = Math.pow(10, Math.floor(Math.log10(target)));
            for (double step : new double[] {5, 2, 1}) {
                if (step * power <= target) {
                    return step * power;
                }
            }
            return power;
        }

        private static String fmt(double v) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
    }
}
