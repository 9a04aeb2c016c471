package io.kuzet.geofence.decision;

import io.kuzet.geofence.projection.FixPosition;
import io.kuzet.geofence.zone.Zone;

/** Probe for a rule with one zone: projected box prefilter, then the zone's exact distance. */
final class ZoneProbe extends Probe {
    private final Zone zone;

    ZoneProbe(Zone zone) {
        this.zone = zone;
    }

    @Override
    void measure(FixPosition fix, long fixTimeMs, double accuracyMetres, double graceMetres) {
        uncertaintyMetres = accuracyMetres;
        signedMetres = zone.signedDistanceOrBound(fix, accuracyMetres + graceMetres);
    }

    @Override
    double exactSignedMetres(FixPosition fix) {
        return zone.signedDistanceMetres(fix);
    }

    @Override
    String zoneName() {
        return zone.name();
    }

    @Override
    String subject(String ruleLabel, String ruleName) {
        return ruleLabel + " '" + ruleName + "'";
    }

    @Override
    String position(double signedMetres) {
        return Explanation.insideOutside(signedMetres) + " (accuracy " + Explanation.metres(uncertaintyMetres) + ")";
    }
}
