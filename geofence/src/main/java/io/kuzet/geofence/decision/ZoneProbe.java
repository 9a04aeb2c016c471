package io.kuzet.geofence.decision;

import io.kuzet.geofence.projection.FixPosition;
import io.kuzet.geofence.zone.Zone;

/** Probe for a rule with one zone: projected box prefilter, then the zone's exact distance. */
final class ZoneProbe extends Probe {
    private final Zone zone;
    private final double exactBeyondMetres;

    /** {@code exactBeyondMetres}: distance outside the margin still measured exactly (an approach warning distance). */
    ZoneProbe(Zone zone, double exactBeyondMetres) {
        this.zone = zone;
        this.exactBeyondMetres = exactBeyondMetres;
    }

    @Override
    void measure(FixPosition fix, long fixTimeMs, double accuracyMetres, double graceMetres) {
        uncertaintyMetres = accuracyMetres;
        signedMetres = zone.signedDistanceOrBound(fix, accuracyMetres + graceMetres + exactBeyondMetres);
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
