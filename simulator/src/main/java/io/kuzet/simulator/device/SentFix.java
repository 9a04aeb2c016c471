package io.kuzet.simulator.device;

/**
 * A fix as a fleet device sent it, kept for offline analysis (the naive baseline runs on exactly these fixes).
 * Immutable.
 */
public record SentFix(long subjectId, long timeMs, double lat, double lon, double accuracyMetres, boolean valid) {
}
