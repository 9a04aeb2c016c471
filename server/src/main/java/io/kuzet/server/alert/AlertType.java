package io.kuzet.server.alert;

/**
 * What an alert is about, with its base severity (adjusted by the order's risk level, see {@link AlertSeverity}) and
 * whether the condition can clear by itself when data shows it is over. Tamper alerts never clear by themselves:
 * an operator must resolve them.
 */
public enum AlertType {
    EXCLUSION_VIOLATION(Severity.HIGH, true),
    INCLUSION_VIOLATION(Severity.HIGH, true),
    CURFEW_VIOLATION(Severity.HIGH, true),
    PROXIMITY_VIOLATION(Severity.CRITICAL, true),
    PROXIMITY_WARNING(Severity.MEDIUM, true),
    ZONE_UNCERTAIN(Severity.LOW, true),
    STRAP_TAMPER(Severity.CRITICAL, false),
    CASE_TAMPER(Severity.HIGH, false),
    BATTERY_LOW(Severity.LOW, true),
    BATTERY_CRITICAL(Severity.MEDIUM, true),
    POWER_OFF(Severity.HIGH, true),
    NO_COMMUNICATION(Severity.HIGH, true),
    NO_GPS_FIX(Severity.MEDIUM, true),
    /** The device keeps sending fixes dated far from their receive time: its positions cannot be evaluated. */
    CLOCK_FAULT(Severity.MEDIUM, true),
    /** A second login of a device while it was connected: a spoofed IMEI, a cloned device or a stolen key. */
    DUPLICATE_SESSION(Severity.HIGH, false),
    /** A curfew (or timed rule) began and no fix since says where the subject is; appended last: ids use the ordinal. */
    CURFEW_STATUS_UNKNOWN(Severity.MEDIUM, true),
    /** The subject came within an exclusion zone's warning distance (and was warned, when supervision sends commands). */
    ZONE_APPROACH_WARNING(Severity.LOW, true),
    /** A curfew starts soon and the subject is still away from home (and was warned, when supervision sends commands). */
    CURFEW_WARNING(Severity.LOW, true);

    private final Severity baseSeverity;
    private final boolean autoClears;

    AlertType(Severity baseSeverity, boolean autoClears) {
        this.baseSeverity = baseSeverity;
        this.autoClears = autoClears;
    }

    public Severity baseSeverity() {
        return baseSeverity;
    }

    /** False for tamper alerts: only an operator's resolution closes them. */
    public boolean autoClears() {
        return autoClears;
    }

    /** Tamper alerts keep their severity whatever the risk level. */
    public boolean isTamper() {
        return this == STRAP_TAMPER || this == CASE_TAMPER;
    }
}
