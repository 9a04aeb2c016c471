package io.kuzet.simulator.fleet;

import io.kuzet.simulator.gps.GeoPoint;

/** A named real place (approximate coordinates) that routines visit. Immutable. */
public record Place(String name, GeoPoint point, PlaceKind kind) {
}
