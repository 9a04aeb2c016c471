package io.kuzet.simulator.gps;

/**
 * How much sky the receiver sees, which sets its noise, the accuracy it reports and how often it has no fix at all.
 * Figures are typical of consumer GNSS chipsets in ankle bracelets: ~5 m in the open, ~30 m in urban canyons,
 * 50+ m or nothing indoors, nothing in tunnels or inside shielding.
 */
public enum SkyView {
    OPEN_SKY(4.0, 5.0, 0.0),
    URBAN(15.0, 30.0, 0.03),
    INDOOR(30.0, 60.0, 0.35),
    /** Tunnel, underground car park, foil-wrapped bracelet. */
    BLOCKED(0.0, 0.0, 1.0);

    private final double noiseSigmaMetres;
    private final double honestAccuracyMetres;
    private final double noFixProbability;

    SkyView(double noiseSigmaMetres, double honestAccuracyMetres, double noFixProbability) {
        this.noiseSigmaMetres = noiseSigmaMetres;
        this.honestAccuracyMetres = honestAccuracyMetres;
        this.noFixProbability = noFixProbability;
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
