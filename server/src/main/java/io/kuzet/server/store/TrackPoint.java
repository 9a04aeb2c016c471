package io.kuzet.server.store;

import java.time.Instant;

/**
 * One stored fix as the API shows it. {@code accuracyMetres} and {@code hdop} are NaN when the device did not say;
 * {@code assurance} is the {@link PositionAssurance} name, null for rows stored before it was recorded. Immutable.
 */
public record TrackPoint(long deviceId, long subjectId, Instant fixTime, double lat, double lon, int altitudeM,
                         double speedKmh, int headingDeg, double accuracyMetres, double hdop, int satellites, int flags,
                         String assurance) {
    /** A point without a recorded assurance. */
    public TrackPoint(long deviceId, long subjectId, Instant fixTime, double lat, double lon, int altitudeM,
                      double speedKmh, int headingDeg, double accuracyMetres, double hdop, int satellites, int flags) {
        this(deviceId, subjectId, fixTime, lat, lon, altitudeM, speedKmh, headingDeg, accuracyMetres, hdop, satellites, flags,
                null);
    }
}
