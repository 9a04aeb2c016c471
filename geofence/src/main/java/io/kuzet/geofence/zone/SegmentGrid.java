package io.kuzet.geofence.zone;

/**
 * The prepared form of a zone boundary in its local plane: a uniform grid in which each cell lists the only
 * segments that can be nearest to a point in that cell, plus a reference point of known inside/outside status.
 *
 * <p>A query touches one cell: it takes the minimum distance over the cell's candidate segments and decides
 * inside/outside by the parity of crossings between the segment (reference point to query point) and the cell's
 * segments. Candidates of a cell are the segments whose distance to the cell rectangle is at most the smallest
 * "farthest-corner" distance of any segment, so the nearest segment of every point in the cell is among them.
 *
 * <p>Immutable and thread-safe after construction; a query allocates nothing and costs O(candidates in the cell),
 * typically a handful. Points outside the grid fall back to a scan of every segment. Building costs
 * O(cells x segments) and runs off the hot path.
 */
final class SegmentGrid {
    private static final int MAX_CELLS = 4096;
    private static final int MIN_CELLS = 16;

    private final double[] seg; // ax, ay, bx, by per segment
    private final int segmentCount;
    private final boolean closed;
    private final double gx0;
    private final double gy0;
    private final double invCellW;
    private final double invCellH;
    private final int nx;
    private final int ny;
    private final int[] cellStart;
    private final int[] cellSegs;
    private final double[] refX;
    private final double[] refY;
    private final boolean[] refInside;
    private final double[] clearance; // metres from the cell rectangle to the nearest segment

    /**
     * @param seg     segment coordinates, four doubles (ax, ay, bx, by) per segment, in local metres
     * @param closed  true when the segments form closed rings (inside/outside is defined), false for a polyline
     * @param marginMetres how far beyond the segments' bounding box the grid reaches
     */
    SegmentGrid(double[] seg, boolean closed, double marginMetres) {
        this.seg = seg.clone();
        this.segmentCount = seg.length / 4;
        this.closed = closed;
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < seg.length; i += 2) {
            minX = Math.min(minX, seg[i]);
            maxX = Math.max(maxX, seg[i]);
            minY = Math.min(minY, seg[i + 1]);
            maxY = Math.max(maxY, seg[i + 1]);
        }
        minX -= marginMetres;
        minY -= marginMetres;
        maxX += marginMetres;
        maxY += marginMetres;
        double w = maxX - minX;
        double h = maxY - minY;
        int target = Math.max(MIN_CELLS, Math.min(MAX_CELLS, 2 * segmentCount));
        int cx = (int) Math.max(1, Math.min(256, Math.round(Math.sqrt(target * w / h))));
        int cy = (int) Math.max(1, Math.min(256, Math.round((double) target / cx)));
        nx = cx;
        ny = cy;
        gx0 = minX;
        gy0 = minY;
        double cellW = w / nx;
        double cellH = h / ny;
        invCellW = 1 / cellW;
        invCellH = 1 / cellH;

        int cells = nx * ny;
        cellStart = new int[cells + 1];
        refX = new double[cells];
        refY = new double[cells];
        refInside = new boolean[cells];
        clearance = new double[cells];
        int[] buffer = new int[Math.max(16, cells * 4)];
        int used = 0;
        for (int j = 0; j < ny; j++) {
            for (int i = 0; i < nx; i++) {
                int cell = j * nx + i;
                double x0 = gx0 + i * cellW;
                double y0 = gy0 + j * cellH;
                double x1 = x0 + cellW;
                double y1 = y0 + cellH;
                double bound = Double.POSITIVE_INFINITY;
                for (int s = 0; s < segmentCount; s++) {
                    bound = Math.min(bound, farthestCornerDistance2(s, x0, y0, x1, y1));
                }
                cellStart[cell] = used;
                double nearest2 = Double.POSITIVE_INFINITY;
                for (int s = 0; s < segmentCount; s++) {
                    double d2 = rectDistance2(s, x0, y0, x1, y1);
                    nearest2 = Math.min(nearest2, d2);
                    if (d2 <= bound) {
                        if (used == buffer.length) {
                            buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
                        }
                        buffer[used++] = s;
                    }
                }
                clearance[cell] = Math.sqrt(nearest2);
                placeReference(cell, x0, y0, cellW, cellH);
            }
        }
        cellStart[cells] = used;
        cellSegs = java.util.Arrays.copyOf(buffer, used);
    }

    int segmentCount() {
        return segmentCount;
    }

    /** Distance in metres from the point to the nearest segment. */
    double distance(double x, double y) {
        int i = (int) Math.floor((x - gx0) * invCellW);
        int j = (int) Math.floor((y - gy0) * invCellH);
        if (i < 0 || j < 0 || i >= nx || j >= ny) {
            return Math.sqrt(scanDistance2(x, y));
        }
        int cell = j * nx + i;
        double best = Double.POSITIVE_INFINITY;
        for (int k = cellStart[cell], end = cellStart[cell + 1]; k < end; k++) {
            best = Math.min(best, segmentDistance2(cellSegs[k], x, y));
        }
        return Math.sqrt(best);
    }

    /**
     * Lower bound on the distance from any point of the point's cell to the nearest segment, or -1 when the point
     * lies outside the grid. Zero for cells that a segment crosses.
     */
    double cellClearance(double x, double y) {
        int i = (int) Math.floor((x - gx0) * invCellW);
        int j = (int) Math.floor((y - gy0) * invCellH);
        if (i < 0 || j < 0 || i >= nx || j >= ny) {
            return -1;
        }
        return clearance[j * nx + i];
    }

    /**
     * {@link #signedDistance}, except that in a cell no segment crosses and whose clearance exceeds
     * {@code certainBeyondMetres} it returns plus or minus the clearance (a bound with the right sign) without
     * visiting any segment. Deep inside a large polygon that is most fixes.
     */
    double signedDistanceOrBound(double x, double y, double certainBeyondMetres) {
        int i = (int) Math.floor((x - gx0) * invCellW);
        int j = (int) Math.floor((y - gy0) * invCellH);
        if (i >= 0 && j >= 0 && i < nx && j < ny) {
            int cell = j * nx + i;
            double c = clearance[cell];
            if (c > certainBeyondMetres) {
                return refInside[cell] ? c : -c;
            }
        }
        return signedDistance(x, y);
    }

    /** Signed distance in metres to closed rings: positive inside, negative outside, zero on a segment. */
    double signedDistance(double x, double y) {
        int i = (int) Math.floor((x - gx0) * invCellW);
        int j = (int) Math.floor((y - gy0) * invCellH);
        if (i < 0 || j < 0 || i >= nx || j >= ny) {
            double d = Math.sqrt(scanDistance2(x, y));
            return rayCastInside(x, y) ? d : -d;
        }
        int cell = j * nx + i;
        double rx = refX[cell];
        double ry = refY[cell];
        boolean inside = refInside[cell];
        double best = Double.POSITIVE_INFINITY;
        for (int k = cellStart[cell], end = cellStart[cell + 1]; k < end; k++) {
            int s = cellSegs[k];
            best = Math.min(best, segmentDistance2(s, x, y));
            if (crosses(s, rx, ry, x, y)) {
                inside = !inside;
            }
        }
        double d = Math.sqrt(best);
        return inside ? d : -d;
    }

    /**
     * Whether segment s crosses the segment (rx, ry)-(x, y). A point exactly on the query line counts as being on
     * its right, so a line through a shared vertex is counted once or twice consistently (simulation of
     * simplicity); the reference point is never on a segment.
     */
    private boolean crosses(int s, double rx, double ry, double x, double y) {
        int o = s * 4;
        double ax = seg[o];
        double ay = seg[o + 1];
        double bx = seg[o + 2];
        double by = seg[o + 3];
        double dx = x - rx;
        double dy = y - ry;
        boolean aLeft = dx * (ay - ry) - dy * (ax - rx) > 0;
        boolean bLeft = dx * (by - ry) - dy * (bx - rx) > 0;
        if (aLeft == bLeft) {
            return false;
        }
        double ex = bx - ax;
        double ey = by - ay;
        boolean refLeft = ex * (ry - ay) - ey * (rx - ax) > 0;
        boolean pLeft = ex * (y - ay) - ey * (x - ax) > 0;
        return refLeft != pLeft;
    }

    private void placeReference(int cell, double x0, double y0, double cellW, double cellH) {
        double x = x0 + cellW * 0.5;
        double y = y0 + cellH * 0.5;
        // Move the reference off any segment so its status is unambiguous; the offsets are irrational fractions.
        for (int attempt = 1; attempt < 64 && scanDistance2(x, y) < 1e-6; attempt++) {
            x = x0 + cellW * ((0.5 + attempt * 0.1234567) % 1.0);
            y = y0 + cellH * ((0.5 + attempt * 0.3141593) % 1.0);
        }
        refX[cell] = x;
        refY[cell] = y;
        refInside[cell] = closed && rayCastInside(x, y);
    }

    private boolean rayCastInside(double x, double y) {
        boolean inside = false;
        for (int s = 0; s < segmentCount; s++) {
            int o = s * 4;
            double ax = seg[o];
            double ay = seg[o + 1];
            double bx = seg[o + 2];
            double by = seg[o + 3];
            if ((ay > y) != (by > y) && x < ax + (y - ay) * (bx - ax) / (by - ay)) {
                inside = !inside;
            }
        }
        return inside;
    }

    private double scanDistance2(double x, double y) {
        double best = Double.POSITIVE_INFINITY;
        for (int s = 0; s < segmentCount; s++) {
            best = Math.min(best, segmentDistance2(s, x, y));
        }
        return best;
    }

    private double segmentDistance2(int s, double px, double py) {
        int o = s * 4;
        return pointSegmentDistance2(px, py, seg[o], seg[o + 1], seg[o + 2], seg[o + 3]);
    }

    static double pointSegmentDistance2(double px, double py, double ax, double ay, double bx, double by) {
        double ex = bx - ax;
        double ey = by - ay;
        double len2 = ex * ex + ey * ey;
        double t = len2 == 0 ? 0 : ((px - ax) * ex + (py - ay) * ey) / len2;
        if (t < 0) {
            t = 0;
        } else if (t > 1) {
            t = 1;
        }
        double dx = ax + t * ex - px;
        double dy = ay + t * ey - py;
        return dx * dx + dy * dy;
    }

    private double farthestCornerDistance2(int s, double x0, double y0, double x1, double y1) {
        // Distance to a segment is convex, so its maximum over a rectangle is at a corner.
        return Math.max(Math.max(segmentDistance2(s, x0, y0), segmentDistance2(s, x1, y0)),
                Math.max(segmentDistance2(s, x0, y1), segmentDistance2(s, x1, y1)));
    }

    private double rectDistance2(int s, double x0, double y0, double x1, double y1) {
        int o = s * 4;
        double ax = seg[o];
        double ay = seg[o + 1];
        double bx = seg[o + 2];
        double by = seg[o + 3];
        if (segmentTouchesRect(ax, ay, bx, by, x0, y0, x1, y1)) {
            return 0;
        }
        double best = Math.min(pointRectDistance2(ax, ay, x0, y0, x1, y1), pointRectDistance2(bx, by, x0, y0, x1, y1));
        best = Math.min(best, pointSegmentDistance2(x0, y0, ax, ay, bx, by));
        best = Math.min(best, pointSegmentDistance2(x1, y0, ax, ay, bx, by));
        best = Math.min(best, pointSegmentDistance2(x0, y1, ax, ay, bx, by));
        return Math.min(best, pointSegmentDistance2(x1, y1, ax, ay, bx, by));
    }

    private static double pointRectDistance2(double px, double py, double x0, double y0, double x1, double y1) {
        double dx = Math.max(Math.max(x0 - px, 0), px - x1);
        double dy = Math.max(Math.max(y0 - py, 0), py - y1);
        return dx * dx + dy * dy;
    }

    private static boolean segmentTouchesRect(double ax, double ay, double bx, double by,
                                              double x0, double y0, double x1, double y1) {
        // Liang-Barsky clipping: the segment meets the rectangle when a non-empty parameter range survives.
        double t0 = 0;
        double t1 = 1;
        double dx = bx - ax;
        double dy = by - ay;
        double[] p = {-dx, dx, -dy, dy};
        double[] q = {ax - x0, x1 - ax, ay - y0, y1 - ay};
        for (int k = 0; k < 4; k++) {
            if (p[k] == 0) {
                if (q[k] < 0) {
                    return false;
                }
            } else {
                double r = q[k] / p[k];
                if (p[k] < 0) {
                    t0 = Math.max(t0, r);
                } else {
                    t1 = Math.min(t1, r);
                }
            }
        }
        return t0 <= t1;
    }
}
