package io.kuzet.server.alert;

import io.kuzet.server.registry.RiskLevel;

/**
 * Proportionality: the order's risk level moves an alert's severity one step (low risk down, high risk up),
 * except for tamper alerts, which are always taken at their base severity.
 */
public final class AlertSeverity {
    private AlertSeverity() {
    }

    public static Severity of(AlertType type, RiskLevel risk) {
        Severity base = type.baseSeverity();
        if (type.isTamper() || risk == null) {
            return base;
        }
        return switch (risk) {
            case LOW -> base.lower();
            case MEDIUM -> base;
            case HIGH -> base.raise();
        };
    }
}
