package io.kuzet.bench.geofence;

import io.kuzet.geofence.decision.DeviceEvaluator;
import io.kuzet.geofence.decision.FixOrder;
import io.kuzet.geofence.decision.TransitionListener;
import io.kuzet.geofence.projection.FixPosition;
import io.kuzet.geofence.proximity.VictimPositions;
import io.kuzet.geofence.rule.Rule;
import io.kuzet.geofence.rule.RuleKind;
import io.kuzet.geofence.rule.RuleSet;
import io.kuzet.geofence.rule.RuleSetSlot;
import io.kuzet.geofence.zone.Zone;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One fix against one subject's 10 rules (4 polygons of 50-500 vertices, 3 circles, 3 corridors of 50-500
 * vertices), the engine beside two JTS baselines: {@code Geometry.contains} on unprepared geometries with no
 * prefilter (the naive way) and {@code PreparedGeometry.contains} (JTS's fast path, still no prefilter). Fixes
 * jitter around positions at least 80 m from every boundary, so the engine stays in steady state (no transitions).
 * One operation = one fix = 10 fix-rule evaluations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class SubjectTenZonesBenchmark {
    private static final int FIXES = 1024;

    private final double[] lat = new double[FIXES];
    private final double[] lon = new double[FIXES];
    private final GeometryFactory factory = new GeometryFactory();
    private final FixPosition position = new FixPosition();
    private Zone[] zones;
    private Geometry[] plain;
    private PreparedGeometry[] prepared;
    private DeviceEvaluator evaluator;
    private TransitionListener listener;
    private long transitions;
    private long timeMs;
    private int next;

    @Setup
    public void setUp() {
        Random random = new Random(2025);
        double[] a = BenchZones.offset(BenchZones.LAT, BenchZones.LON, 30, 3_000);
        double[] b = BenchZones.offset(BenchZones.LAT, BenchZones.LON, 200, 1_500);
        zones = new Zone[] {
            BenchZones.polygon(random, "City", BenchZones.LAT, BenchZones.LON, 15_000, 500),
            BenchZones.polygon(random, "District", BenchZones.LAT, BenchZones.LON, 4_000, 300),
            BenchZones.polygon(random, "Victim home area", a[0], a[1], 1_200, 150),
            BenchZones.polygon(random, "Victim work", b[0], b[1], 600, 50),
            BenchZones.circle("Home", BenchZones.LAT, BenchZones.LON, 2_500),
            BenchZones.circle("School", a[0], a[1] + 0.01, 300),
            BenchZones.circle("Bar street", b[0] - 0.01, b[1], 250),
            BenchZones.corridor(random, "Route to work", BenchZones.LAT, BenchZones.LON, 500, 200),
            BenchZones.corridor(random, "Route to clinic", BenchZones.LAT, BenchZones.LON, 200, 150),
            BenchZones.corridor(random, "Court route", b[0], b[1], 50, 100),
        };
        RuleKind[] kinds = {RuleKind.INCLUSION, RuleKind.INCLUSION, RuleKind.EXCLUSION, RuleKind.EXCLUSION,
            RuleKind.INCLUSION, RuleKind.EXCLUSION, RuleKind.EXCLUSION, RuleKind.INCLUSION, RuleKind.INCLUSION,
            RuleKind.INCLUSION};
        List<Rule> rules = new ArrayList<>();
        plain = new Geometry[zones.length];
        prepared = new PreparedGeometry[zones.length];
        for (int i = 0; i < zones.length; i++) {
            rules.add(Rule.builder(i + 1, kinds[i], zones[i].name()).zone(zones[i]).build());
            plain[i] = zones[i].localGeometry();
            prepared[i] = PreparedGeometryFactory.prepare(plain[i]);
        }
        int n = 0;
        while (n < FIXES) {
            // Anchors within ~3 km of home, where the fix is inside the boxes of most zones (no easy rejection).
            double[] anchor = BenchZones.offset(BenchZones.LAT, BenchZones.LON, random.nextDouble() * 360,
                    random.nextDouble() * 3_000);
            if (!BenchZones.clear(zones, anchor[0], anchor[1], 80)) {
                continue;
            }
            for (int k = 0; k < 16 && n < FIXES; k++) {
                double[] fix = BenchZones.offset(anchor[0], anchor[1], random.nextDouble() * 360,
                        random.nextDouble() * 20);
                lat[n] = fix[0];
                lon[n] = fix[1];
                n++;
            }
        }
        evaluator = new DeviceEvaluator(1, new RuleSetSlot(RuleSet.of(rules)), new VictimPositions());
        listener = e -> transitions++;
        timeMs = 1_750_000_000_000L;
    }

    /** Kuzet engine: decision with uncertainty, hysteresis state, for all 10 rules. */
    @Benchmark
    public FixOrder engine() {
        int i = next++ & (FIXES - 1);
        return evaluator.evaluate(timeMs++, lat[i], lon[i], 10, listener);
    }

    /** Naive baseline: project, allocate a JTS point, unprepared Geometry.contains per zone, no prefilter. */
    @Benchmark
    public int jtsUnpreparedContains() {
        int i = next++ & (FIXES - 1);
        position.set(lat[i], lon[i]);
        int inside = 0;
        for (int z = 0; z < zones.length; z++) {
            Coordinate c = new Coordinate(zones[z].east(position), zones[z].north(position));
            if (plain[z].contains(factory.createPoint(c))) {
                inside++;
            }
        }
        return inside;
    }

    /** Stronger baseline: the same with JTS PreparedGeometry.contains. */
    @Benchmark
    public int jtsPreparedContains() {
        int i = next++ & (FIXES - 1);
        position.set(lat[i], lon[i]);
        int inside = 0;
        for (int z = 0; z < zones.length; z++) {
            Coordinate c = new Coordinate(zones[z].east(position), zones[z].north(position));
            if (prepared[z].contains(factory.createPoint(c))) {
                inside++;
            }
        }
        return inside;
    }
}
