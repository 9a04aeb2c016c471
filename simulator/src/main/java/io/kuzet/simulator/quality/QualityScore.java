package io.kuzet.simulator.quality;

import java.util.ArrayList;
import java.util.List;

/**
 * How one alerting method did against ground truth. An alert is true when its violating fix falls within a true
 * episode of the same rule (from 2 minutes before it starts to 5 minutes after it ends, for GPS error and fix
 * spacing); an episode is detected when at least one true alert matches it. Immutable.
 *
 * @param recallSignificant share of significant episodes (deeper than 50 m, longer than 2 min) with at least 3 valid
 *                          fixes sent during them that were detected; {@code significantUnobservable} had fewer
 *                          (battery dead, device off, shielded) and are left out
 * @param delayP50Seconds   median detection delay (detected at - episode start) over detected significant episodes
 */
public record QualityScore(String method, int alerts, int trueAlerts, int falseAlerts, double precision,
                           int significantEpisodes, int significantDetected, int significantUnobservable, double recallSignificant,
                           int allEpisodes, int allDetected, double recallAll,
                           double delayP50Seconds, double delayP95Seconds, double falseAlertsPerSubjectDay,
                           List<Episode> missedSignificant) {
    static final long BEFORE_MS = 120_000;
    static final long AFTER_MS = 300_000;

    public static QualityScore score(String method, List<Episode> episodes, List<RaisedAlert> alerts, double subjectDays) {
        int trueAlerts = 0;
        boolean[] detected = new boolean[episodes.size()];
        long[] firstDetectionMs = new long[episodes.size()];
        for (RaisedAlert a : alerts) {
            boolean matched = false;
            for (int i = 0; i < episodes.size(); i++) {
                Episode e = episodes.get(i);
                if (e.ruleId() == a.ruleId() && a.fixTimeMs() >= e.startMs() - BEFORE_MS && a.fixTimeMs() <= e.endMs() + AFTER_MS) {
                    matched = true;
                    if (!detected[i] || a.detectedAtMs() < firstDetectionMs[i]) {
                        firstDetectionMs[i] = a.detectedAtMs();
                    }
                    detected[i] = true;
                }
            }
            if (matched) {
                trueAlerts++;
            }
        }
        int significant = 0;
        int unobservable = 0;
        int significantDetected = 0;
        int allDetected = 0;
        List<Double> delays = new ArrayList<>();
        List<Episode> missed = new ArrayList<>();
        for (int i = 0; i < episodes.size(); i++) {
            if (detected[i]) {
                allDetected++;
            }
            if (episodes.get(i).significant() && !episodes.get(i).observable()) {
                unobservable++;
            } else if (episodes.get(i).significant()) {
                significant++;
                if (detected[i]) {
                    significantDetected++;
                    delays.add(Math.max(0, firstDetectionMs[i] - episodes.get(i).startMs()) / 1000.0);
                } else {
                    missed.add(episodes.get(i));
                }
            }
        }
        delays.sort(Double::compare);
        int falseAlerts = alerts.size() - trueAlerts;
        return new QualityScore(method, alerts.size(), trueAlerts, falseAlerts,
                alerts.isEmpty() ? 1.0 : (double) trueAlerts / alerts.size(),
                significant, significantDetected, unobservable, significant == 0 ? 1.0 : (double) significantDetected / significant,
                episodes.size(), allDetected, episodes.isEmpty() ? 1.0 : (double) allDetected / episodes.size(),
                percentile(delays, 0.5), percentile(delays, 0.95), falseAlerts / subjectDays, List.copyOf(missed));
    }

    private static double percentile(List<Double> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
