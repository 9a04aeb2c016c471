package io.kuzet.simulator.gps;

/**
 * How much sky the receiver sees, which sets its noise, the accuracy it reports and how often it has no fix at all.
 * Figures are typical of consumer GNSS chipsets in ankle bracelets: ~5 m in the open, ~30 m in urban canyons,
 * 50+ m or nothing indoors, nothing in tunnels or inside shielding; in town and indoors a few fixes in a hundred
 * are multipath outliers tens to hundreds of metres off.
 */
public enum SkyView {
    OPEN_SKY(4.0, 5.0, 0.0, 0.0),
    URBAN(12.0, 30.0, 0.03, 0.03),
    INDOOR(25.0, 60.0, 0.20, 0.10),
    /** Tunnel, underground car park, foil-wrapped bracelet. */
    BLOCKED(0.0, 0.0, 1.0, 0.0);

    private final double noiseSigmaMetres;
    private final double honestAccuracyMetres;
    private final double noFixProbability;
    private final double multipathProbability;

    SkyView(double noiseSigmaMetres, double honestAccuracyMetres, double noFixProbability, double multipathProbability) {
        this.noiseSigmaMetres = noiseSigmaMetres;
        this.honestAccuracyMetres = honestAccuracyMetres;
        this.noFixProbability = noFixProbability;
        this.multipathProbability = multipathProbability;
    }

    /** Probability that a fix is a multipath outlier, 60-250 m off (reflections off buildings). */
    public double multipathProbability() {
        return multipathProbability;
    }

    /** Standard deviation of the position error per axis. */
    public double noiseSigmaMetres() {
        return noiseSigmaMetres;
    }

    /** The 95 % horizontal radius an honest receiver reports. */
    public double honestAccuracyMetres() {
        return honestAccuracyMetres;
    }

    public double noFixProbability() {
        return noFixProbability;
    }
}
