package io.kuzet.simulator.quality;

/**
 * What adaptive supervision did in a quality run (null in the report of a run without the comparison). Immutable.
 *
 * @param commands                  whether the core's commands went to the bracelets (through the command service)
 * @param turnBackProbability       chance a warned subject near an exclusion zone turns back
 * @param pursuits                  fast-reporting commands (violation opened) and their ends (back to the order's interval)
 *                                  the bracelets carried out (DONE in {@code device_commands}); likewise the others
 * @param warnings                  warning vibrations carried out; {@code warningsFelt} of them came while the
 *                                  subject was near an exclusion zone, after which {@code turnedBack} turned back
 * @param plannedExclusionEpisodes  significant exclusion episodes the routines would have had without any warning
 * @param exclusionEpisodes         significant exclusion episodes that happened
 * @param clearDelayP50Seconds      from the true end of a detected episode to the alert's clearing (sharpness of the end)
 */
public record SupervisionFigures(boolean commands, double turnBackProbability, long pursuits, long pursuitEnds,
                                 long warnings, long warningsFelt, long turnedBack, long chargeReminders,
                                 int plannedExclusionEpisodes, int exclusionEpisodes,
                                 double clearDelayP50Seconds, double clearDelayP95Seconds) {

    /** Share of the planned significant exclusion violations that warnings prevented. */
    public double preventedShare() {
        return plannedExclusionEpisodes == 0 ? 0 : 1.0 - (double) exclusionEpisodes / plannedExclusionEpisodes;
    }
}
