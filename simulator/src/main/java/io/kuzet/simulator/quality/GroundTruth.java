package io.kuzet.simulator.quality;

import io.kuzet.simulator.fleet.Fleet;
import io.kuzet.simulator.fleet.SimSubject;
import io.kuzet.simulator.fleet.ZoneSpec;
import io.kuzet.simulator.gps.GeoPoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes every true violation episode of a fleet from the subjects' true positions (not the noisy fixes), sampled
 * every 5 s. Stateless. Cost: subjects × rules × (period / 5 s) distance computations.
 */
public final class GroundTruth {
    static final long SAMPLE_MS = 5_000;

    private GroundTruth() {
    }

    public static List<Episode> episodes(Fleet fleet) {
        List<Episode> out = new ArrayList<>();
        for (SimSubject s : fleet.subjects()) {
            for (ZoneSpec z : s.zones()) {
                long start = -1;
                double maxDepth = 0;
                for (long t = fleet.startMs(); t < fleet.endMs(); t += SAMPLE_MS) {
                    GeoPoint p = s.routine().sample(t).point();
                    double depth = z.activeAt(t, s.city().timeZone()) ? z.violationDepthMetres(p) : -1;
                    if (depth > 0) {
                        if (start < 0) {
                            start = t;
                            maxDepth = 0;
                        }
                        maxDepth = Math.max(maxDepth, depth);
                    } else if (start >= 0) {
                        out.add(new Episode(s.subjectId(), z.ruleId(), start, t, maxDepth));
                        start = -1;
                    }
                }
                if (start >= 0) {
                    out.add(new Episode(s.subjectId(), z.ruleId(), start, fleet.endMs(), maxDepth));
                }
            }
        }
        return out;
    }
}
