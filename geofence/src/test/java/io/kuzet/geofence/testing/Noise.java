package io.kuzet.geofence.testing;

import java.util.Random;

/** Gaussian GPS noise with a fixed standard deviation per axis, from a seeded Random (reproducible). */
public final class Noise {
    private final Random random;
    private final double sigmaMetres;

    public Noise(long seed, double sigmaMetres) {
        this.random = new Random(seed);
        this.sigmaMetres = sigmaMetres;
    }

    /** A noisy [lat, lon] around the true position. */
    public double[] around(double lat, double lon) {
        double east = random.nextGaussian() * sigmaMetres;
        double north = random.nextGaussian() * sigmaMetres;
        return Geo.offset(lat, lon, Math.toDegrees(Math.atan2(east, north)), Math.hypot(east, north));
    }
}
