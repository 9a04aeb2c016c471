package io.kuzet.geofence.decision;

import io.kuzet.geofence.projection.FixPosition;
import io.kuzet.geofence.zone.SharedZoneIndex;
import io.kuzet.geofence.zone.Zone;

/** Probe for a rule over a shared zone set: the STRtree finds the zone the fix is deepest in. */
final class SharedZoneProbe extends Probe {
    private final SharedZoneIndex.Query query;
    private final double exactBeyondMetres;
    private double marginMetres;

    /** {@code exactBeyondMetres}: distance outside the margin still measured exactly (an approach warning distance). */
    SharedZoneProbe(SharedZoneIndex index, double exactBeyondMetres) {
        this.query = index.newQuery();
        this.exactBeyondMetres = exactBeyondMetres;
    }

    @Override
    void measure(FixPosition fix, long fixTimeMs, double accuracyMetres, double graceMetres) {
        uncertaintyMetres = accuracyMetres;
        marginMetres = accuracyMetres + graceMetres + exactBeyondMetres;
        signedMetres = query.deepestSignedMetres(fix, marginMetres);
    }

    @Override
    double exactSignedMetres(FixPosition fix) {
        Zone zone = query.deepestZone();
        return zone == null ? Double.NEGATIVE_INFINITY : zone.signedDistanceMetres(fix);
    }

    @Override
    String zoneName() {
        Zone zone = query.deepestZone();
        return zone == null ? null : zone.name();
    }

    @Override
    String subject(String ruleLabel, String ruleName) {
        String zone = zoneName();
        return ruleLabel + " '" + ruleName + "'" + (zone == null ? "" : " (" + zone + ")");
    }

    @Override
    String position(double signedMetres) {
        String where = signedMetres == Double.NEGATIVE_INFINITY
                ? "more than " + Explanation.metres(marginMetres) + " from every zone"
                : Explanation.insideOutside(signedMetres);
        return where + " (accuracy " + Explanation.metres(uncertaintyMetres) + ")";
    }
}
