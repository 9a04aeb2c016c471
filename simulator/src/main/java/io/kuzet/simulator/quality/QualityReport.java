package io.kuzet.simulator.quality;

import java.util.Map;

/**
 * Result of a quality run: the fleet simulated, the server's score and the naive baseline's on the same fixes, and
 * the count of every other alert type raised. Immutable; serialised to JSON by the CLI.
 */
public record QualityReport(String protocol, long seed, int subjects, int days, double subjectDays, long fixesSent, double wallSeconds,
                            QualityScore server, QualityScore naiveBaseline, Map<String, Integer> otherAlertsRaised,
                            SupervisionFigures supervision) {

    /** How many times fewer false alerts per subject-day the server raised than the baseline. */
    public double falseAlertReductionFactor() {
        return server.falseAlertsPerSubjectDay() == 0 ? Double.POSITIVE_INFINITY
                : naiveBaseline.falseAlertsPerSubjectDay() / server.falseAlertsPerSubjectDay();
    }
}
