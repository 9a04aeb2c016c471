package io.kuzet.geofence.rule;

/** What a rule demands of the subject. */
public enum RuleKind {
    /** Must be inside the zone, always (or on a schedule). */
    INCLUSION("Inclusion zone"),
    /** Must not be inside the zone. */
    EXCLUSION("Exclusion zone"),
    /** Must be inside the zone (usually home) while the schedule is active. */
    CURFEW("Curfew zone"),
    /** Must stay farther than a distance from a victim unit's latest position. */
    PROXIMITY("Proximity to victim unit");

    private final String label;

    RuleKind(String label) {
        this.label = label;
    }

    /** Words that start an explanation, e.g. "Exclusion zone". */
    public String label() {
        return label;
    }

    /** True when being inside the zone (or within the distance) is the violation. */
    public boolean insideViolates() {
        return this == EXCLUSION || this == PROXIMITY;
    }
}
