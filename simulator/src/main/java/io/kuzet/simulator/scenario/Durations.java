package io.kuzet.simulator.scenario;

/** Parses scenario durations: {@code 90s}, {@code 10m}, {@code 2h}, {@code 1d}, or plain seconds. Stateless. */
public final class Durations {
    private Durations() {
    }

    public static long toMillis(String text) {
        String t = text.trim();
        char unit = t.charAt(t.length() - 1);
        if (Character.isDigit(unit)) {
            return Math.round(Double.parseDouble(t) * 1000);
        }
        double value = Double.parseDouble(t.substring(0, t.length() - 1));
        long unitMs = switch (unit) {
            case 's' -> 1000L;
            case 'm' -> 60_000L;
            case 'h' -> 3_600_000L;
            case 'd' -> 86_400_000L;
            default -> throw new IllegalArgumentException("unknown duration unit in '" + text + "' (use s, m, h or d)");
        };
        return Math.round(value * unitMs);
    }
}
