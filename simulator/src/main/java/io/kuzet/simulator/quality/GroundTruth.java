package io.kuzet.simulator.quality;

import io.kuzet.simulator.fleet.Detours;
import io.kuzet.simulator.fleet.Fleet;
import io.kuzet.simulator.fleet.SimSubject;
import io.kuzet.simulator.fleet.ZoneSpec;
import io.kuzet.simulator.gps.GeoPoint;
import io.kuzet.simulator.device.SentFix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * Computes every true violation episode of a fleet from the subjects' true positions (not the noisy fixes), sampled
 * every 5 s. Stateless. Cost: subjects × rules × (period / 5 s) distance computations.
 */
public final class GroundTruth {
    static final long SAMPLE_MS = 5_000;

    private GroundTruth() {
    }

    /** The episodes with the number of valid fixes the bracelets sent during each. */
    public static List<Episode> withValidFixes(List<Episode> episodes, List<SentFix> fixes) {
        Map<Long, List<SentFix>> bySubject = new HashMap<>();
        for (SentFix f : fixes) {
            if (f.valid()) {
                bySubject.computeIfAbsent(f.subjectId(), k -> new ArrayList<>()).add(f);
            }
        }
        List<Episode> out = new ArrayList<>(episodes.size());
        for (Episode e : episodes) {
            int n = 0;
            for (SentFix f : bySubject.getOrDefault(e.subjectId(), List.of())) {
                if (f.timeMs() >= e.startMs() && f.timeMs() < e.endMs()) {
                    n++;
                }
            }
            out.add(e.withValidFixes(n));
        }
        return out;
    }

    public static List<Episode> episodes(Fleet fleet) {
        return episodes(fleet, new Detours());
    }

    /** Episodes of the subjects' actual movements: their routines, except where a warning turned them back. */
    public static List<Episode> episodes(Fleet fleet, Detours detours) {
        List<Episode> out = new ArrayList<>();
        for (SimSubject s : fleet.subjects()) {
            for (ZoneSpec z : s.zones()) {
                long start = -1;
                double maxDepth = 0;
                for (long t = fleet.startMs(); t < fleet.endMs(); t += SAMPLE_MS) {
                    GeoPoint p = detours.sample(s, t).point();
                    double depth = z.activeAt(t, s.city().timeZone()) ? z.violationDepthMetres(p) : -1;
                    if (depth > 0) {
                        if (start < 0) {
                            start = t;
                            maxDepth = 0;
                        }
                        maxDepth = Math.max(maxDepth, depth);
                    } else if (start >= 0) {
                        out.add(new Episode(s.subjectId(), z.ruleId(), start, t, maxDepth, -1));
                        start = -1;
                    }
                }
                if (start >= 0) {
                    out.add(new Episode(s.subjectId(), z.ruleId(), start, fleet.endMs(), maxDepth, -1));
                }
            }
        }
        return out;
    }
}
