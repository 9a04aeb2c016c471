package io.kuzet.geofence.proximity;

import io.kuzet.geofence.decision.Accuracy;
import io.kuzet.geofence.projection.Wgs84;

/**
 * Latest fix of every victim unit, keyed by device id in an open-addressing primitive map, read by proximity
 * rules of the offender evaluators on the same thread.
 *
 * <p>Not thread-safe: owned by the evaluation thread that also evaluates the offenders (feed victim fixes from the
 * same journal, in order). Updating a known victim allocates nothing; the first fix of a new victim allocates its
 * slot, and growth doubles the table.
 */
public final class VictimPositions {
    private long[] keys = new long[64];
    private VictimFix[] values = new VictimFix[64];
    private int size;

    /**
     * Records a victim fix if it is not older than the one held (a late victim fix does not replace a newer one).
     * Accuracy NaN or non-positive means unknown and is replaced by the conservative default.
     *
     * @return true when the fix became the victim's latest position
     */
    public boolean update(long victimDeviceId, long fixTimeMs, double lat, double lon, double accuracyMetres) {
        if (!Wgs84.isValid(lat, lon)) {
            return false;
        }
        VictimFix fix = get(victimDeviceId);
        if (fix == null) {
            fix = insert(victimDeviceId);
        } else if (fixTimeMs < fix.fixTimeMs()) {
            return false;
        }
        fix.set(fixTimeMs, lat, lon, Accuracy.effectiveMetres(accuracyMetres));
        return true;
    }

    /** The latest fix of the victim unit, or null if none was fed. */
    public VictimFix get(long victimDeviceId) {
        int mask = keys.length - 1;
        for (int i = slot(victimDeviceId, mask); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == victimDeviceId) {
                return values[i];
            }
        }
        return null;
    }

    /** Visits the latest fix of every victim unit (for a snapshot; restore with {@link #update}). */
    public void forEach(java.util.function.Consumer<VictimFix> visitor) {
        for (VictimFix value : values) {
            if (value != null) {
                visitor.accept(value);
            }
        }
    }

    public int size() {
        return size;
    }

    private VictimFix insert(long victimDeviceId) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        VictimFix fix = new VictimFix(victimDeviceId);
        put(victimDeviceId, fix);
        size++;
        return fix;
    }

    private void put(long key, VictimFix value) {
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (values[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
    }

    private void grow() {
        long[] oldKeys = keys;
        VictimFix[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new VictimFix[oldValues.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) {
                put(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
