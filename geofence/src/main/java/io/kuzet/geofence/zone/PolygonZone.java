package io.kuzet.geofence.zone;

import io.kuzet.geofence.GeofenceValidationException;
import io.kuzet.geofence.projection.LocalProjection;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.operation.valid.TopologyValidationError;

/**
 * A polygon or multipolygon with holes. Edges are straight lines in the zone's tangent plane (for zones up to
 * 100 km across they stay within metres of the geodesic edges).
 *
 * <p>Immutable and thread-safe. A distance query visits one {@link SegmentGrid} cell: typically tens of
 * nanoseconds, independent of the vertex count.
 */
public final class PolygonZone extends Zone {
    /** Grid margin beyond the bounding box: fixes this close to the zone are answered from the grid. */
    private static final double GRID_MARGIN_METRES = 250;

    private final SegmentGrid grid;
    private final Geometry localGeometry;
    private final int vertexCount;

    private PolygonZone(String name, LocalProjection projection, double[] box, double[] localBox, SegmentGrid grid,
                        Geometry localGeometry, int vertexCount) {
        super(name, projection, localBox[0], localBox[1], localBox[2], localBox[3], box[0], box[1], box[2], box[3]);
        this.grid = grid;
        this.localGeometry = localGeometry;
        this.vertexCount = vertexCount;
    }

    /**
     * Builds a zone from polygons given as rings of [lon, lat] pairs, flattened: {@code polygons[p][r]} is ring r of
     * polygon p (ring 0 the shell, the rest holes), each closed (first position repeated last).
     *
     * @throws GeofenceValidationException naming the polygon, ring and coordinate at fault
     */
    public static PolygonZone of(String name, double[][][] polygons) {
        String label = ZoneChecks.label(name);
        if (polygons.length == 0) {
            throw new GeofenceValidationException(label + ": a polygon needs at least one ring");
        }
        int positions = 0;
        for (int p = 0; p < polygons.length; p++) {
            if (polygons[p].length == 0) {
                throw new GeofenceValidationException(label + ": polygon " + p + " has no rings");
            }
            for (int r = 0; r < polygons[p].length; r++) {
                checkRing(label, p, r, polygons[p][r]);
                positions += polygons[p][r].length / 2;
            }
        }
        double[] all = new double[positions * 2];
        int k = 0;
        for (double[][] polygon : polygons) {
            for (double[] ring : polygon) {
                System.arraycopy(ring, 0, all, k, ring.length);
                k += ring.length;
            }
        }
        double[] box = ZoneChecks.degreeBox(all);
        checkTopology(label, polygons);
        LocalProjection projection = new LocalProjection((box[0] + box[2]) / 2, (box[1] + box[3]) / 2);

        GeometryFactory factory = new GeometryFactory();
        Polygon[] local = new Polygon[polygons.length];
        int segmentCount = positions - countRings(polygons);
        double[] seg = new double[segmentCount * 4];
        int s = 0;
        double[] localBox = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.NEGATIVE_INFINITY};
        for (int p = 0; p < polygons.length; p++) {
            LinearRing[] rings = new LinearRing[polygons[p].length];
            for (int r = 0; r < polygons[p].length; r++) {
                double[] xy = ZoneChecks.project(label, projection, polygons[p][r]);
                Coordinate[] coords = new Coordinate[xy.length / 2];
                for (int i = 0; i < xy.length; i += 2) {
                    coords[i / 2] = new Coordinate(xy[i], xy[i + 1]);
                    localBox[0] = Math.min(localBox[0], xy[i]);
                    localBox[1] = Math.min(localBox[1], xy[i + 1]);
                    localBox[2] = Math.max(localBox[2], xy[i]);
                    localBox[3] = Math.max(localBox[3], xy[i + 1]);
                    if (i + 2 < xy.length) {
                        seg[s++] = xy[i];
                        seg[s++] = xy[i + 1];
                        seg[s++] = xy[i + 2];
                        seg[s++] = xy[i + 3];
                    }
                }
                coords[coords.length - 1] = coords[0];
                rings[r] = factory.createLinearRing(coords);
            }
            local[p] = factory.createPolygon(rings[0], java.util.Arrays.copyOfRange(rings, 1, rings.length));
        }
        Geometry geometry = local.length == 1 ? local[0] : factory.createMultiPolygon(local);
        SegmentGrid grid = new SegmentGrid(seg, true, GRID_MARGIN_METRES);
        return new PolygonZone(name, projection, box, localBox, grid, geometry, positions - countRings(polygons));
    }

    private static int countRings(double[][][] polygons) {
        int n = 0;
        for (double[][] p : polygons) {
            n += p.length;
        }
        return n;
    }

    private static void checkRing(String label, int p, int r, double[] ring) {
        String where = label + ", polygon " + p + " ring " + r + (r == 0 ? " (outer)" : " (hole)");
        if (ring.length < 8 || ring.length % 2 != 0) {
            throw new GeofenceValidationException(where + ": a ring needs at least 4 positions (3 corners and the"
                    + " first repeated last), got " + ring.length / 2);
        }
        for (int i = 0; i < ring.length; i += 2) {
            ZoneChecks.checkPosition(where, ring[i], ring[i + 1]);
        }
        int last = ring.length - 2;
        if (ring[0] != ring[last] || ring[1] != ring[last + 1]) {
            throw new GeofenceValidationException(where + ": ring is not closed, the first position [" + ring[0]
                    + ", " + ring[1] + "] must be repeated as the last, got [" + ring[last] + ", " + ring[last + 1]
                    + "]");
        }
    }

    private static void checkTopology(String label, double[][][] polygons) {
        GeometryFactory factory = new GeometryFactory();
        Polygon[] parts = new Polygon[polygons.length];
        for (int p = 0; p < polygons.length; p++) {
            LinearRing[] rings = new LinearRing[polygons[p].length];
            for (int r = 0; r < rings.length; r++) {
                double[] ring = polygons[p][r];
                Coordinate[] coords = new Coordinate[ring.length / 2];
                for (int i = 0; i < ring.length; i += 2) {
                    coords[i / 2] = new Coordinate(ring[i], ring[i + 1]);
                }
                rings[r] = factory.createLinearRing(coords);
            }
            parts[p] = factory.createPolygon(rings[0], java.util.Arrays.copyOfRange(rings, 1, rings.length));
        }
        Geometry geometry = parts.length == 1 ? parts[0] : factory.createMultiPolygon(parts);
        TopologyValidationError error = new IsValidOp(geometry).getValidationError();
        if (error != null) {
            Coordinate at = error.getCoordinate();
            throw new GeofenceValidationException(label + ": invalid geometry, " + error.getMessage()
                    + (at == null ? "" : " near [" + at.x + ", " + at.y + "]"));
        }
        for (int p = 0; p < parts.length; p++) {
            if (parts[p].getArea() == 0) {
                throw new GeofenceValidationException(label + ", polygon " + p + ": the outer ring has zero area");
            }
        }
    }

    @Override
    public ZoneShape shape() {
        return ZoneShape.POLYGON;
    }

    @Override
    public int vertexCount() {
        return vertexCount;
    }

    @Override
    public double signedDistanceLocal(double x, double y) {
        return grid.signedDistance(x, y);
    }

    @Override
    double signedDistanceLocalOrBound(double x, double y, double certainBeyondMetres) {
        return grid.signedDistanceOrBound(x, y, certainBeyondMetres);
    }

    @Override
    public Geometry localGeometry() {
        return localGeometry;
    }
}
