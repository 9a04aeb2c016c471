package io.kuzet.geofence.decision;

import io.kuzet.geofence.projection.FixPosition;
import io.kuzet.geofence.proximity.VictimFix;
import io.kuzet.geofence.proximity.VictimPositions;

/**
 * Probe for a proximity rule: the forbidden "zone" is the disc of the limit distance around the victim unit's
 * latest position, and the uncertainty is the sum of both units' accuracies. No victim position yet: the
 * decision is UNCERTAIN with an unknown (NaN) distance.
 */
final class ProximityProbe extends Probe {
    private final VictimPositions victims;
    private final long victimDeviceId;
    private final double limitMetres;
    private final double warningMetres;
    private final long staleAfterMs;
    private double separationMetres;
    private double victimAccuracyMetres;
    private long victimAgeMs;

    ProximityProbe(VictimPositions victims, long victimDeviceId, double limitMetres, double warningMetres,
                   long staleAfterMs) {
        this.victims = victims;
        this.victimDeviceId = victimDeviceId;
        this.limitMetres = limitMetres;
        this.warningMetres = warningMetres;
        this.staleAfterMs = staleAfterMs;
    }

    @Override
    void measure(FixPosition fix, long fixTimeMs, double accuracyMetres, double graceMetres) {
        VictimFix victim = victims.get(victimDeviceId);
        if (victim == null) {
            separationMetres = Double.NaN;
            victimAccuracyMetres = Double.NaN;
            victimAgeMs = -1;
            uncertaintyMetres = accuracyMetres;
            signedMetres = Double.NaN;
            return;
        }
        separationMetres = fix.chordMetresTo(victim.position());
        victimAccuracyMetres = victim.accuracyMetres();
        victimAgeMs = Math.max(0, fixTimeMs - victim.fixTimeMs());
        uncertaintyMetres = accuracyMetres + victimAccuracyMetres;
        signedMetres = limitMetres - separationMetres;
    }

    @Override
    double exactSignedMetres(FixPosition fix) {
        return signedMetres;
    }

    @Override
    double warningSignedMetres() {
        return warningMetres > 0 ? warningMetres - separationMetres : Double.NaN;
    }

    @Override
    String zoneName() {
        return null;
    }

    @Override
    long victimAgeMs() {
        return victimAgeMs;
    }

    @Override
    String subject(String ruleLabel, String ruleName) {
        return ruleLabel + " " + victimDeviceId + " '" + ruleName + "' (limit " + Explanation.metres(limitMetres)
                + (warningMetres > 0 ? ", warning " + Explanation.metres(warningMetres) : "") + ")";
    }

    @Override
    String position(double signedMetres) {
        if (Double.isNaN(separationMetres)) {
            return "no victim position (accuracy " + Explanation.metres(uncertaintyMetres) + ")";
        }
        return Explanation.metres(separationMetres) + " apart (accuracy "
                + Explanation.metres(uncertaintyMetres - victimAccuracyMetres) + " + victim "
                + Explanation.metres(victimAccuracyMetres) + ")";
    }

    @Override
    String context() {
        return victimAgeMs > staleAfterMs ? "; victim position stale, " + Explanation.duration(victimAgeMs) + " old"
                : "";
    }
}
