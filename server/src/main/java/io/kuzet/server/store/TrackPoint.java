package io.kuzet.server.store;

import java.time.Instant;

/**
 * One stored fix as the API shows it. {@code accuracyMetres} and {@code hdop} are NaN when the device did not say.
 * Immutable.
 */
public record TrackPoint(long deviceId, long subjectId, Instant fixTime, double lat, double lon, int altitudeM,
                         double speedKmh, int headingDeg, double accuracyMetres, double hdop, int satellites, int flags) {
}
