package io.kuzet.server.core;

import io.kuzet.geofence.decision.Accuracy;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The accuracy assumed for a valid fix that carries neither a reported accuracy nor anything to estimate it from
 * ({@link io.kuzet.protocol.AccuracySource#DEFAULT}), per device model, from {@code core.accuracyDefaults}
 * ("kuzet=50,gt06=50,watch=50"). Immutable after construction; {@link #metresFor} allocates nothing.
 */
final class AccuracyDefaults {
    private final Map<String, Double> metresByModel = new HashMap<>();

    AccuracyDefaults(String spec) {
        metresByModel.putAll(parse(spec));
    }

    /** Parses "model=metres,..." and throws IllegalArgumentException naming the bad entry. */
    static Map<String, Double> parse(String spec) {
        Map<String, Double> out = new HashMap<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String entry : spec.split(",")) {
            String[] kv = entry.trim().split("=");
            double metres;
            try {
                metres = kv.length == 2 ? Double.parseDouble(kv[1].trim()) : Double.NaN;
            } catch (NumberFormatException e) {
                metres = Double.NaN;
            }
            if (!(metres > 0)) {
                throw new IllegalArgumentException("accuracy default '" + entry.trim() + "' is not model=metres (> 0)");
            }
            out.put(kv[0].trim().toLowerCase(Locale.ROOT), metres);
        }
        return out;
    }

    double metresFor(String model) {
        Double metres = model == null ? null : metresByModel.get(model);
        return metres != null ? metres : Accuracy.UNKNOWN_METRES;
    }
}
