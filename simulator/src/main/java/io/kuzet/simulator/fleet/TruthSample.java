package io.kuzet.simulator.fleet;

import io.kuzet.simulator.gps.GeoPoint;
import io.kuzet.simulator.gps.SkyView;

/** Where a subject truly is at one instant, what the receiver sees of the sky there, and what they are doing. */
public record TruthSample(GeoPoint point, SkyView sky, double speedKmh, int headingDeg, String activity) {
}
