package io.kuzet.geofence.decision;

import java.util.Locale;

/**
 * Builds the one-line explanations; called only on transitions, so it may allocate. Stateless.
 */
final class Explanation {
    private Explanation() {
    }

    static String metres(double metres) {
        double abs = Math.abs(metres);
        if (abs >= 10_000) {
            return String.format(Locale.ROOT, "%.1f km", abs / 1000);
        }
        return Math.round(abs) + " m";
    }

    static String insideOutside(double signedMetres) {
        if (Double.isNaN(signedMetres)) {
            return "distance unknown";
        }
        return metres(signedMetres) + (signedMetres >= 0 ? " inside" : " outside");
    }

    static String duration(long ms) {
        long seconds = Math.round(ms / 1000.0);
        if (seconds < 60) {
            return seconds + " s";
        }
        long minutes = Math.round(seconds / 60.0);
        if (minutes < 90) {
            return minutes + " min";
        }
        return String.format(Locale.ROOT, "%d h %02d min", minutes / 60, minutes % 60);
    }

    /** "21:00" in the schedule's time zone (UTC without a schedule), "2025-06-10 21:00" when not today's date matters. */
    static String localTime(long epochMs, io.kuzet.geofence.schedule.Schedule schedule) {
        java.time.ZoneId zone = schedule == null ? java.time.ZoneOffset.UTC : schedule.zone();
        return java.time.format.DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT)
                .format(java.time.Instant.ofEpochMilli(epochMs).atZone(zone));
    }

    static String fixes(int count, long durationMs) {
        return count + (count == 1 ? " fix" : " fixes") + " over " + duration(durationMs);
    }
}
