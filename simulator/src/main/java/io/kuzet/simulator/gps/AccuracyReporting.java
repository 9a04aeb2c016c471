package io.kuzet.simulator.gps;

/**
 * Whether a receiver reports its horizontal accuracy honestly (a 95 % radius that covers the true error) or
 * optimistically (a third of it, as some chipsets do indoors), which is what makes naive geofencing raise false alerts.
 */
public enum AccuracyReporting {
    HONEST(1.0),
    OPTIMISTIC(1.0 / 3.0);

    private final double factor;

    AccuracyReporting(double factor) {
        this.factor = factor;
    }

    public double factor() {
        return factor;
    }
}
