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
import io.kuzet.geofence.zone.SharedZoneIndex;
import io.kuzet.geofence.zone.Zone;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
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
 * One fix against 10,000 shared exclusion zones (schools: circles and 8-32 vertex polygons) spread over a
 * 100 x 100 km region, through the engine's STRtree-backed {@link SharedZoneIndex}, beside the naive baseline
 * (unprepared Geometry.contains against every zone). Fixes are 100 m or more from every zone, so no transitions.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class SharedZonesBenchmark {
    private static final int ZONES = 10_000;
    private static final int FIXES = 1024;

    private final double[] lat = new double[FIXES];
    private final double[] lon = new double[FIXES];
    private final GeometryFactory factory = new GeometryFactory();
    private final FixPosition position = new FixPosition();
    private Zone[] zones;
    private Geometry[] plain;
    private DeviceEvaluator evaluator;
    private TransitionListener listener;
    private long transitions;
    private long timeMs;
    private int next;

    @Setup
    public void setUp() {
        Random random = new Random(10_000);
        List<Zone> list = new ArrayList<>();
        for (int i = 0; i < ZONES; i++) {
            double[] c = BenchZones.offset(BenchZones.LAT, BenchZones.LON, random.nextDouble() * 360,
                    Math.sqrt(random.nextDouble()) * 50_000);
            double radius = 80 + random.nextDouble() * 150;
            list.add(i % 2 == 0 ? BenchZones.circle("School " + i, c[0], c[1], radius)
                    : BenchZones.polygon(random, "School " + i, c[0], c[1], radius, 8 + random.nextInt(25)));
        }
        zones = list.toArray(new Zone[0]);
        plain = new Geometry[ZONES];
        for (int i = 0; i < ZONES; i++) {
            plain[i] = zones[i].localGeometry();
        }
        SharedZoneIndex index = new SharedZoneIndex("Schools", list);
        int n = 0;
        while (n < FIXES) {
            double[] p = BenchZones.offset(BenchZones.LAT, BenchZones.LON, random.nextDouble() * 360,
                    Math.sqrt(random.nextDouble()) * 45_000);
            if (BenchZones.clear(nearby(p), p[0], p[1], 100)) {
                lat[n] = p[0];
                lon[n] = p[1];
                n++;
            }
        }
        Rule rule = Rule.builder(1, RuleKind.EXCLUSION, "Schools").sharedZones(index).build();
        evaluator = new DeviceEvaluator(1, new RuleSetSlot(RuleSet.of(List.of(rule))), new VictimPositions());
        listener = e -> transitions++;
        timeMs = 1_750_000_000_000L;
    }

    private Zone[] nearby(double[] p) {
        List<Zone> near = new ArrayList<>();
        for (Zone z : zones) {
            if (Math.abs(z.projection().originLatDegrees() - p[0]) < 0.02
                    && Math.abs(z.projection().originLonDegrees() - p[1]) < 0.03) {
                near.add(z);
            }
        }
        return near.toArray(new Zone[0]);
    }

    /** Kuzet engine: STRtree query, projected box prefilter, exact distance near zones, hysteresis state. */
    @Benchmark
    public FixOrder engine() {
        int i = next++ & (FIXES - 1);
        return evaluator.evaluate(timeMs++, lat[i], lon[i], 10, listener);
    }

    /** Naive baseline: unprepared Geometry.contains against all 10,000 zones, no index, no prefilter. */
    @Benchmark
    public int jtsUnpreparedContainsAll() {
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
}
