package io.kuzet.geofence.zone;

import io.kuzet.geofence.projection.FixPosition;
import io.kuzet.geofence.projection.Wgs84;
import java.util.List;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.index.ItemVisitor;
import org.locationtech.jts.index.strtree.STRtree;

/**
 * Many zones shared by many subjects (e.g. 10,000 agency-wide exclusion zones around schools) behind one JTS
 * {@link STRtree} of degree bounding boxes. A query returns the zone the fix is deepest in (largest signed
 * distance) among those whose box lies within the search margin.
 *
 * <p>Immutable and thread-safe once built (the tree is built eagerly, so queries never mutate it). Each
 * evaluating thread uses its own {@link Query}; a query allocates nothing and costs O(log n + zones nearby).
 */
public final class SharedZoneIndex {
    private static final double METRES_PER_DEGREE_LAT = Wgs84.SEMI_MAJOR_METRES * (1 - Wgs84.E2) * Math.PI / 180;

    private final String name;
    private final STRtree tree = new STRtree();
    private final int size;

    public SharedZoneIndex(String name, List<? extends Zone> zones) {
        this.name = name;
        for (Zone zone : zones) {
            tree.insert(new Envelope(zone.minLonDegrees(), zone.maxLonDegrees(), zone.minLatDegrees(),
                    zone.maxLatDegrees()), zone);
        }
        tree.build();
        size = zones.size();
    }

    public String name() {
        return name;
    }

    public int size() {
        return size;
    }

    /** A reusable query cursor; one per evaluating thread (not thread-safe). */
    public Query newQuery() {
        return new Query();
    }

    /** Cursor for one query at a time; holds the deepest zone found and its signed distance. */
    public final class Query implements ItemVisitor {
        private final Envelope searchBox = new Envelope();
        private FixPosition fix;
        private double marginMetres;
        private Zone deepest;
        private double deepestSignedMetres;

        /**
         * Finds the zone the fix is deepest in, looking at zones within {@code marginMetres}. Returns the signed
         * distance to that zone (or {@link Double#NEGATIVE_INFINITY} when no zone is within the margin); exact
         * whenever it is within the margin, otherwise a bound.
         */
        public double deepestSignedMetres(FixPosition fix, double marginMetres) {
            this.fix = fix;
            this.marginMetres = marginMetres;
            deepest = null;
            deepestSignedMetres = Double.NEGATIVE_INFINITY;
            double dLat = marginMetres / METRES_PER_DEGREE_LAT * 1.01;
            double dLon = dLat / Math.max(Math.cos(Math.toRadians(fix.latDegrees())), 1e-6);
            searchBox.init(fix.lonDegrees() - dLon, fix.lonDegrees() + dLon, fix.latDegrees() - dLat,
                    fix.latDegrees() + dLat);
            tree.query(searchBox, this);
            this.fix = null;
            return deepestSignedMetres;
        }

        /** The zone found by the last query, or null. */
        public Zone deepestZone() {
            return deepest;
        }

        @Override
        public void visitItem(Object item) {
            Zone zone = (Zone) item;
            double d = zone.signedDistanceOrBound(fix, marginMetres);
            if (d > deepestSignedMetres) {
                deepestSignedMetres = d;
                deepest = zone;
            }
        }
    }
}
