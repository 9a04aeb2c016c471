package io.kuzet.simulator.gps;

import io.kuzet.protocol.Fix;
import java.util.SplittableRandom;

/**
 * Turns a true position into the fix a bracelet's receiver would report. The error is a first-order Gauss-Markov
 * process per axis (correlation time ~60 s), so consecutive fixes drift together as real multipath errors do instead of
 * jumping independently; its size and the no-fix probability come from the {@link SkyView}. One instance per device,
 * seeded, so a run is reproducible. Multipath outliers (see {@link SkyView#multipathProbability()}) come on top; an
 * honest receiver widens its reported accuracy for them, an optimistic one reports a third of that. Not thread-safe. Cost: a few random draws per fix, no allocation.
 */
public final class GpsErrorModel {
    private static final double CORRELATION_TIME_S = 60.0;

    private final SplittableRandom random;
    private final AccuracyReporting reporting;
    private double errorEastMetres;
    private double errorNorthMetres;
    private long lastTimeMs = Long.MIN_VALUE;

    public GpsErrorModel(long seed, AccuracyReporting reporting) {
        this.random = new SplittableRandom(seed);
        this.reporting = reporting;
    }

    public AccuracyReporting reporting() {
        return reporting;
    }

    /**
     * Fills {@code out} with the observed fix for the true position at {@code timeMs}; returns false (and fills a
     * fix without the VALID flag at the last error-free coordinates) when the receiver has no fix.
     */
    public boolean observe(long timeMs, GeoPoint truth, SkyView sky, double speedKmh, int headingDeg, Fix out) {
        double dtS = lastTimeMs == Long.MIN_VALUE ? CORRELATION_TIME_S * 10 : Math.max(0, (timeMs - lastTimeMs) / 1000.0);
        lastTimeMs = timeMs;
        double sigma = sky.noiseSigmaMetres();
        double rho = Math.exp(-dtS / CORRELATION_TIME_S);
        double innovation = sigma * Math.sqrt(1 - rho * rho);
        errorEastMetres = rho * errorEastMetres + innovation * gaussian();
        errorNorthMetres = rho * errorNorthMetres + innovation * gaussian();
        out.timeMs = timeMs;
        out.headingDeg = headingDeg;
        out.speedKmhX10 = (int) Math.round(speedKmh * 10);
        if (random.nextDouble() < sky.noFixProbability()) {
            out.latE7 = (int) Math.round(truth.lat() * 1e7);
            out.lonE7 = (int) Math.round(truth.lon() * 1e7);
            out.accuracyDm = Fix.ACCURACY_UNKNOWN;
            out.satellites = 0;
            out.flags = 0;
            return false;
        }
        double east = errorEastMetres;
        double north = errorNorthMetres;
        double honestAccuracyMetres = sky.honestAccuracyMetres() * (0.8 + 0.4 * random.nextDouble());
        if (random.nextDouble() < sky.multipathProbability()) {
            double jumpMetres = 60 + random.nextDouble(190);
            double bearing = random.nextDouble(2 * Math.PI);
            east += jumpMetres * Math.sin(bearing);
            north += jumpMetres * Math.cos(bearing);
            // an honest receiver sees the degraded geometry and widens its estimate, though not all the way
            honestAccuracyMetres = Math.max(honestAccuracyMetres, jumpMetres * (0.5 + 0.5 * random.nextDouble()));
        }
        GeoPoint observed = truth.offsetMetres(east, north);
        out.latE7 = (int) Math.round(observed.lat() * 1e7);
        out.lonE7 = (int) Math.round(observed.lon() * 1e7);
        double accuracyMetres = honestAccuracyMetres * reporting.factor();
        out.accuracyDm = (int) Math.round(Math.max(3.0, accuracyMetres) * 10);
        out.satellites = sky == SkyView.OPEN_SKY ? 9 + random.nextInt(4) : 4 + random.nextInt(4);
        out.flags = Fix.FLAG_VALID;
        return true;
    }

    private double gaussian() {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
