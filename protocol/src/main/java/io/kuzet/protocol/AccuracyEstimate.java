package io.kuzet.protocol;

/**
 * Estimates the horizontal accuracy of a fix whose device does not report one, from what the protocol does give.
 * Decoders call {@link #fill} once per fix; the estimate goes into {@link Fix#accuracyDm} and its source into the
 * fix flags, so it is journaled with the fix and a replay sees the same value.
 *
 * <pre>
 * HDOP known            accuracy = HDOP x 10 m   (2 x HDOP x 5 m user range error: ~95 % radius), at least 5 m
 * else satellites used  <= 3: 100 m   4: 75 m   5-6: 50 m   7-8: 35 m   >= 9: 25 m
 * else (0 satellites)   no estimate: DEFAULT, the server's per-model default applies
 * </pre>
 *
 * The satellite table is deliberately pessimistic: a satellite count says little about multipath indoors, where a
 * receiver can track eight satellites and still be 50 m off, and an estimate that is too small opens false
 * violations. See geofence/RATIONALE.md and docs/operations.md. Stateless; allocation-free.
 */
public final class AccuracyEstimate {
    private AccuracyEstimate() {
    }

    /** Fills in an estimated accuracy when the fix is valid and has none; leaves reported accuracies alone. */
    public static void fill(Fix fix) {
        if (fix.accuracyDm != Fix.ACCURACY_UNKNOWN || !fix.isValid()) {
            return;
        }
        if (fix.hdopX10 > 0) {
            fix.accuracyDm = Math.max(50, fix.hdopX10 * 10);
            fix.flags |= Fix.FLAG_ACCURACY_FROM_HDOP;
            return;
        }
        int metres = fromSatellitesMetres(fix.satellites);
        if (metres > 0) {
            fix.accuracyDm = metres * 10;
            fix.flags |= Fix.FLAG_ACCURACY_ESTIMATED;
        }
    }

    /** The satellite-count estimate in metres, or 0 when the count gives none. */
    public static int fromSatellitesMetres(int satellites) {
        if (satellites <= 0) {
            return 0;
        }
        if (satellites <= 3) {
            return 100;
        }
        if (satellites == 4) {
            return 75;
        }
        if (satellites <= 6) {
            return 50;
        }
        return satellites <= 8 ? 35 : 25;
    }
}
