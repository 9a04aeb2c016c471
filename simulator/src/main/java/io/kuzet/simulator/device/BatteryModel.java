package io.kuzet.simulator.device;

/**
 * A bracelet battery: drains with time and with every fix sent, charges while the wearer sits on the charger.
 * Typical figures: ~50 h at one fix a minute, full in ~2 h. Not thread-safe; one per device. Cost: arithmetic only.
 */
public final class BatteryModel {
    private static final double IDLE_DRAIN_PERCENT_PER_HOUR = 1.0;
    private static final double DRAIN_PERCENT_PER_FIX = 0.01;
    private static final double CHARGE_PERCENT_PER_HOUR = 45;

    private double levelPercent;
    private long lastUpdateMs;
    private boolean charging;

    public BatteryModel(double levelPercent, long startMs) {
        this.levelPercent = levelPercent;
        this.lastUpdateMs = startMs;
    }

    /** Advances to {@code timeMs}, draining or charging for the time elapsed. */
    public void advanceTo(long timeMs) {
        double hours = Math.max(0, timeMs - lastUpdateMs) / 3_600_000.0;
        lastUpdateMs = Math.max(lastUpdateMs, timeMs);
        levelPercent += charging ? CHARGE_PERCENT_PER_HOUR * hours : -IDLE_DRAIN_PERCENT_PER_HOUR * hours;
        levelPercent = Math.max(0, Math.min(100, levelPercent));
    }

    public void onFixSent() {
        levelPercent = Math.max(0, levelPercent - DRAIN_PERCENT_PER_FIX);
    }

    public void setCharging(boolean charging) {
        this.charging = charging;
    }

    public boolean charging() {
        return charging;
    }

    public int percent() {
        return (int) Math.round(levelPercent);
    }

    /** An empty battery: the device is off. */
    public boolean empty() {
        return levelPercent <= 0;
    }
}
