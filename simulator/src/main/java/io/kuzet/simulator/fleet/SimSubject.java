package io.kuzet.simulator.fleet;

import io.kuzet.simulator.gps.AccuracyReporting;
import java.util.List;

/**
 * One simulated subject: identity, city, the bracelet's number and key, the zones of the order, the true routine and
 * the bracelet's character (accuracy reporting, reporting interval). Immutable and thread-safe.
 *
 * @param reportingIntervalS normal reporting interval set by the order's risk level; 15 s applies while in violation
 * @param plannedViolations  human-readable list of the violations planned into the routine (for logs and reports)
 */
public record SimSubject(long subjectId, String externalCaseId, String displayName, City city, Risk risk,
                         long braceletNumber, byte[] braceletKey, AccuracyReporting accuracyReporting,
                         int reportingIntervalS, List<ZoneSpec> zones, Routine routine, List<String> plannedViolations) {

    /** Order risk level: sets the reporting interval (proportionality). */
    public enum Risk {
        LOW(300), MEDIUM(60), HIGH(30);

        private final int reportingIntervalS;

        Risk(int reportingIntervalS) {
            this.reportingIntervalS = reportingIntervalS;
        }

        public int reportingIntervalS() {
            return reportingIntervalS;
        }
    }
}
