package io.kuzet.simulator.quality;

import io.kuzet.simulator.device.SentFix;
import io.kuzet.simulator.fleet.Fleet;
import io.kuzet.simulator.fleet.SimSubject;
import io.kuzet.simulator.fleet.ZoneSpec;
import io.kuzet.simulator.gps.GeoPoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The naive geofence many tracking platforms ship: point-in-polygon on the reported fix, ignoring its accuracy, an
 * alert on every compliant-to-violating transition, no hysteresis, fixes without a GPS fix skipped. Run on exactly
 * the fixes the server received. Stateless. Cost: one distance per fix and rule.
 */
public final class NaiveBaseline {
    private NaiveBaseline() {
    }

    public static List<RaisedAlert> alerts(Fleet fleet, List<SentFix> fixes) {
        Map<Long, SimSubject> subjects = new HashMap<>();
        fleet.subjects().forEach(s -> subjects.put(s.subjectId(), s));
        Map<Long, Boolean> violating = new HashMap<>();
        List<RaisedAlert> out = new ArrayList<>();
        List<SentFix> ordered = new ArrayList<>(fixes);
        ordered.sort((a, b) -> Long.compare(a.timeMs(), b.timeMs()));
        for (SentFix f : ordered) {
            if (!f.valid()) {
                continue;
            }
            SimSubject s = subjects.get(f.subjectId());
            GeoPoint p = new GeoPoint(f.lat(), f.lon());
            for (ZoneSpec z : s.zones()) {
                boolean now = z.activeAt(f.timeMs(), s.city().timeZone()) && z.violationDepthMetres(p) > 0;
                Boolean before = violating.put(z.ruleId(), now);
                if (now && !Boolean.TRUE.equals(before)) {
                    out.add(new RaisedAlert(s.subjectId(), z.ruleId(), f.timeMs(), f.timeMs()));
                }
            }
        }
        return out;
    }
}
