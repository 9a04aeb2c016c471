package io.kuzet.simulator.fleet;

import io.kuzet.simulator.gps.GeoPoint;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * A circular restriction zone with the rule that applies to it, as the simulator knows it: exact, so ground truth can
 * be computed from true positions. {@code curfewStart}/{@code curfewEnd} are set for CURFEW rules only (local time of
 * the subject's city; an end before the start runs past midnight). Immutable.
 */
public record ZoneSpec(long zoneId, long ruleId, String name, RuleKind kind, GeoPoint centre, double radiusMetres,
                       LocalTime curfewStart, LocalTime curfewEnd) {

    /** Rule kinds the simulator provisions for zones. */
    public enum RuleKind { EXCLUSION, INCLUSION, CURFEW }

    /** How far the true point is on the violating side of the boundary (metres; negative = compliant side). */
    public double violationDepthMetres(GeoPoint truth) {
        double fromCentre = truth.distanceMetres(centre);
        return kind == RuleKind.EXCLUSION ? radiusMetres - fromCentre : fromCentre - radiusMetres;
    }

    /** Whether the rule applies at {@code timeMs} (curfews only inside their nightly window in {@code timeZone}). */
    public boolean activeAt(long timeMs, ZoneId timeZone) {
        if (kind != RuleKind.CURFEW) {
            return true;
        }
        LocalTime t = LocalTime.ofInstant(Instant.ofEpochMilli(timeMs), timeZone);
        return curfewEnd.isAfter(curfewStart) ? !t.isBefore(curfewStart) && t.isBefore(curfewEnd)
                : !t.isBefore(curfewStart) || t.isBefore(curfewEnd);
    }

    /** GeoJSON Feature for the server: a Point with {@code properties.radius_m}. */
    public String geoJson() {
        return "{\"type\":\"Feature\",\"properties\":{\"radius_m\":" + radiusMetres + "},"
                + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[" + centre.lon() + "," + centre.lat() + "]}}";
    }
}
