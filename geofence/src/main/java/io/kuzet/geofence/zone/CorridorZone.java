package io.kuzet.geofence.zone;

import io.kuzet.geofence.GeofenceValidationException;
import io.kuzet.geofence.projection.LocalProjection;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;

/**
 * A corridor: every point within half the width of a line (e.g. an approved route to work). Inside means closer
 * to the line than {@code widthMetres / 2}.
 *
 * <p>Immutable and thread-safe; a distance visits one {@link SegmentGrid} cell.
 */
public final class CorridorZone extends Zone {
    private static final double GRID_MARGIN_METRES = 250;

    private final SegmentGrid grid;
    private final double halfWidthMetres;
    private final Geometry localGeometry;
    private final int vertexCount;

    private CorridorZone(String name, LocalProjection projection, double[] box, double[] localBox, SegmentGrid grid,
                         double halfWidthMetres, Geometry localGeometry, int vertexCount) {
        super(name, projection, localBox[0], localBox[1], localBox[2], localBox[3], box[0], box[1], box[2], box[3]);
        this.grid = grid;
        this.halfWidthMetres = halfWidthMetres;
        this.localGeometry = localGeometry;
        this.vertexCount = vertexCount;
    }

    /**
     * Builds a corridor from a line of flattened [lon, lat] pairs and a total width in metres.
     *
     * @throws GeofenceValidationException for fewer than 2 positions, bad coordinates or a non-positive width
     */
    public static CorridorZone of(String name, double[] lonLat, double widthMetres) {
        String label = ZoneChecks.label(name);
        if (lonLat.length < 4 || lonLat.length % 2 != 0) {
            throw new GeofenceValidationException(label + ": a corridor line needs at least 2 positions, got "
                    + lonLat.length / 2);
        }
        if (!(widthMetres > 0)) {
            throw new GeofenceValidationException(label + ": width_m must be a positive number of metres, got "
                    + widthMetres);
        }
        for (int i = 0; i < lonLat.length; i += 2) {
            ZoneChecks.checkPosition(label, lonLat[i], lonLat[i + 1]);
        }
        double half = widthMetres / 2;
        double[] vertexBox = ZoneChecks.degreeBox(lonLat);
        LocalProjection projection = new LocalProjection((vertexBox[0] + vertexBox[2]) / 2,
                (vertexBox[1] + vertexBox[3]) / 2);
        double[] xy = ZoneChecks.project(label, projection, lonLat);
        int n = xy.length / 2;
        double[] seg = new double[(n - 1) * 4];
        Coordinate[] coords = new Coordinate[n];
        double[] localBox = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.NEGATIVE_INFINITY};
        for (int i = 0; i < n; i++) {
            coords[i] = new Coordinate(xy[2 * i], xy[2 * i + 1]);
            localBox[0] = Math.min(localBox[0], xy[2 * i] - half);
            localBox[1] = Math.min(localBox[1], xy[2 * i + 1] - half);
            localBox[2] = Math.max(localBox[2], xy[2 * i] + half);
            localBox[3] = Math.max(localBox[3], xy[2 * i + 1] + half);
            if (i + 1 < n) {
                System.arraycopy(xy, 2 * i, seg, 4 * i, 4);
            }
        }
        if (Math.max(Math.max(-localBox[0], localBox[2]), Math.max(-localBox[1], localBox[3]))
                > LocalProjection.MAX_RADIUS_METRES) {
            throw new GeofenceValidationException(label + ": too large, the corridor reaches more than "
                    + (long) (LocalProjection.MAX_RADIUS_METRES / 1000) + " km from its centre; split it");
        }
        Geometry geometry = new GeometryFactory().createLineString(coords).buffer(half, 8);
        SegmentGrid grid = new SegmentGrid(seg, false, GRID_MARGIN_METRES + half);
        return new CorridorZone(name, projection, ZoneChecks.widen(vertexBox, half), localBox, grid, half, geometry, n);
    }

    public double widthMetres() {
        return halfWidthMetres * 2;
    }

    @Override
    public ZoneShape shape() {
        return ZoneShape.CORRIDOR;
    }

    @Override
    public int vertexCount() {
        return vertexCount;
    }

    @Override
    public double signedDistanceLocal(double x, double y) {
        return halfWidthMetres - grid.distance(x, y);
    }

    @Override
    double signedDistanceLocalOrBound(double x, double y, double certainBeyondMetres) {
        // Every point of the cell is at least the clearance from the line, so at most half - clearance inside.
        double bound = halfWidthMetres - grid.cellClearance(x, y);
        if (bound < -certainBeyondMetres && bound <= halfWidthMetres) {
            return bound;
        }
        return signedDistanceLocal(x, y);
    }

    @Override
    public Geometry localGeometry() {
        return localGeometry;
    }
}
