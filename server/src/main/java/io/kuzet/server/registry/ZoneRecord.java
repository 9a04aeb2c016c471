package io.kuzet.server.registry;

/** A named zone as GeoJSON (WGS84), owned by an agency. Immutable. */
public record ZoneRecord(long id, long agencyId, String name, String geoJson) {
}
