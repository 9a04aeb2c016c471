package io.kuzet.simulator.fleet;

import io.kuzet.simulator.gps.SkyView;

/** How a subject moves between places: average speed including stops, and the sky the bracelet sees on the way. */
public enum TravelMode {
    WALK(4.8, SkyView.URBAN),
    BUS(18.0, SkyView.URBAN),
    CAR(32.0, SkyView.URBAN);

    private final double speedKmh;
    private final SkyView sky;

    TravelMode(double speedKmh, SkyView sky) {
        this.speedKmh = speedKmh;
        this.sky = sky;
    }

    public double speedKmh() {
        return speedKmh;
    }

    public double speedMetresPerSecond() {
        return speedKmh / 3.6;
    }

    public SkyView sky() {
        return sky;
    }
}
