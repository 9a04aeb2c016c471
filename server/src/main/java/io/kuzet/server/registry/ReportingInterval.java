package io.kuzet.server.registry;

/**
 * Proportionality of supervision: how often a bracelet reports, by the order's risk level. Devices report every
 * 15 s while they know they are in violation regardless (protocol.md); these are the normal rates.
 */
public final class ReportingInterval {
    public static final int HIGH_RISK_S = 30;
    public static final int MEDIUM_RISK_S = 60;
    public static final int LOW_RISK_S = 300;

    private ReportingInterval() {
    }

    public static int forRisk(RiskLevel risk) {
        if (risk == null) {
            return MEDIUM_RISK_S;
        }
        return switch (risk) {
            case HIGH -> HIGH_RISK_S;
            case MEDIUM -> MEDIUM_RISK_S;
            case LOW -> LOW_RISK_S;
        };
    }
}
