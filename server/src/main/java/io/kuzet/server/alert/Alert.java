package io.kuzet.server.alert;

import java.util.Map;

/**
 * One alert transition as the evaluation core emits it: raised (a violation or condition began) or cleared (the data
 * shows it ended). Immutable. Alerts are rare, so they are ordinary objects.
 *
 * @param alertId      deterministic from device, type, rule and the opening fix time, so a replay yields the same id
 * @param fixTimeMs    time of the violating fix (or of the last communication, for absence alerts)
 * @param detectedAtMs journal time at which the core decided; detectedAt - fixTime is the detection delay
 * @param late         raised from store-and-forward or otherwise delayed data
 * @param explanation  one line an operator can read, e.g. "Exclusion zone 'Victim home': 85 m inside (accuracy 12 m), 4 fixes over 3 min"
 * @param details      the numbers behind the explanation (distance, accuracy, fixes, duration, ...)
 */
public record Alert(
        long alertId,
        Phase phase,
        AlertType type,
        Severity severity,
        long deviceId,
        long deviceNumber,
        long subjectId,
        long orderId,
        long ruleId,
        long fixTimeMs,
        long detectedAtMs,
        boolean late,
        String explanation,
        Map<String, Object> details) {

    public enum Phase { RAISED, CLEARED }

    /** A 64-bit identity that only depends on what caused the alert, never on when the core ran. */
    public static long identity(long deviceId, AlertType type, long ruleId, long openingTimeMs) {
        long h = 0x9E37_79B9_7F4A_7C15L;
        h = mix(h ^ deviceId);
        h = mix(h ^ type.ordinal());
        h = mix(h ^ ruleId);
        h = mix(h ^ openingTimeMs);
        return h & Long.MAX_VALUE;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
