package io.kuzet.geofence.rule;

import io.kuzet.geofence.GeofenceValidationException;
import io.kuzet.geofence.schedule.Schedule;
import io.kuzet.geofence.zone.SharedZoneIndex;
import io.kuzet.geofence.zone.Zone;

/**
 * One restriction from a court order: kind, target (a zone, a shared zone set, or a victim unit), optional
 * schedule, grace buffer and hysteresis. Build with {@link #builder}; unset values take per-kind defaults.
 *
 * <p>Immutable and thread-safe; shared by every device evaluator holding a rule set that contains it.
 */
public final class Rule {
    /** Grace buffer defaults in metres, per kind (RATIONALE.md). */
    static double defaultGraceMetres(RuleKind kind) {
        return switch (kind) {
            case EXCLUSION -> 10;
            case INCLUSION, CURFEW -> 25;
            case PROXIMITY -> 0;
        };
    }

    /** A victim position older than this is called stale in explanations, unless set per rule. */
    public static final long DEFAULT_STALE_VICTIM_SECONDS = 300;

    private final long id;
    private final RuleKind kind;
    private final String name;
    private final Zone zone;
    private final SharedZoneIndex sharedZones;
    private final long victimDeviceId;
    private final double proximityMetres;
    private final double warningMetres;
    private final long staleVictimSeconds;
    private final Schedule schedule;
    private final double graceMetres;
    private final Hysteresis hysteresis;
    private final long curfewWarningSeconds;

    private Rule(Builder b) {
        id = b.id;
        kind = b.kind;
        name = b.name;
        zone = b.zone;
        sharedZones = b.sharedZones;
        victimDeviceId = b.victimDeviceId;
        proximityMetres = b.proximityMetres;
        warningMetres = b.warningMetres;
        staleVictimSeconds = b.staleVictimSeconds;
        schedule = b.schedule;
        graceMetres = Double.isNaN(b.graceMetres) ? defaultGraceMetres(b.kind) : b.graceMetres;
        hysteresis = b.hysteresis != null ? b.hysteresis : Hysteresis.defaultsFor(b.kind);
        curfewWarningSeconds = b.curfewWarningSeconds;
    }

    public static Builder builder(long id, RuleKind kind, String name) {
        return new Builder(id, kind, name);
    }

    public long id() {
        return id;
    }

    public RuleKind kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    /** The zone, or null for proximity rules and shared zone sets. */
    public Zone zone() {
        return zone;
    }

    /** The shared zone set, or null. */
    public SharedZoneIndex sharedZones() {
        return sharedZones;
    }

    public long victimDeviceId() {
        return victimDeviceId;
    }

    public double proximityMetres() {
        return proximityMetres;
    }

    /**
     * Warning distance in metres, 0 when the rule has no warning: for proximity the separation from the victim unit
     * under which the subject is warned (more than the limit), for an exclusion zone the distance outside it.
     */
    public double warningMetres() {
        return warningMetres;
    }

    /** Curfew: how long before a window starts a subject still away from the zone is warned; 0 = never. */
    public long curfewWarningSeconds() {
        return curfewWarningSeconds;
    }

    public long staleVictimSeconds() {
        return staleVictimSeconds;
    }

    /** The schedule, or null when the rule is always active. */
    public Schedule schedule() {
        return schedule;
    }

    public double graceMetres() {
        return graceMetres;
    }

    public Hysteresis hysteresis() {
        return hysteresis;
    }

    /** Whether the rule applies at the instant (always true without a schedule). Allocates; not for the hot path. */
    public boolean isActiveAt(long epochMs) {
        return schedule == null || schedule.isActiveAt(epochMs);
    }

    /** Next instant after {@code epochMs} where the rule switches on or off, or Long.MAX_VALUE. */
    public long nextScheduleChangeAfterMs(long epochMs) {
        return schedule == null ? Long.MAX_VALUE : schedule.nextChangeAfterMs(epochMs);
    }

    @Override
    public String toString() {
        return kind + " rule " + id + " '" + name + "'";
    }

    /** Collects a rule's parts; {@link #build} validates them together. Not thread-safe. */
    public static final class Builder {
        private final long id;
        private final RuleKind kind;
        private final String name;
        private Zone zone;
        private SharedZoneIndex sharedZones;
        private long victimDeviceId;
        private double proximityMetres;
        private double warningMetres;
        private long staleVictimSeconds = DEFAULT_STALE_VICTIM_SECONDS;
        private Schedule schedule;
        private double graceMetres = Double.NaN;
        private Hysteresis hysteresis;
        private long curfewWarningSeconds;

        private Builder(long id, RuleKind kind, String name) {
            this.id = id;
            this.kind = kind;
            this.name = name;
        }

        public Builder zone(Zone zone) {
            this.zone = zone;
            return this;
        }

        public Builder sharedZones(SharedZoneIndex sharedZones) {
            this.sharedZones = sharedZones;
            return this;
        }

        /** Proximity target: stay farther than {@code distanceMetres}; warn within {@code warningMetres} (0: none). */
        public Builder victim(long victimDeviceId, double distanceMetres, double warningMetres) {
            this.victimDeviceId = victimDeviceId;
            this.proximityMetres = distanceMetres;
            this.warningMetres = warningMetres;
            return this;
        }

        /** Exclusion zone: warn the subject once certainly within {@code metres} outside the zone (0: no warning). */
        public Builder approachWarning(double metres) {
            this.warningMetres = metres;
            return this;
        }

        /** Curfew: warn the subject still away from the zone {@code seconds} before a window starts (0: never). */
        public Builder curfewWarning(long seconds) {
            this.curfewWarningSeconds = seconds;
            return this;
        }

        public Builder staleVictimSeconds(long seconds) {
            this.staleVictimSeconds = seconds;
            return this;
        }

        public Builder schedule(Schedule schedule) {
            this.schedule = schedule;
            return this;
        }

        public Builder graceMetres(double graceMetres) {
            this.graceMetres = graceMetres;
            return this;
        }

        public Builder hysteresis(Hysteresis hysteresis) {
            this.hysteresis = hysteresis;
            return this;
        }

        public Rule build() {
            String label = "Rule " + id + " '" + name + "'";
            if (kind == null || name == null || name.isBlank()) {
                throw new GeofenceValidationException(label + ": needs a kind and a name");
            }
            if (kind == RuleKind.PROXIMITY) {
                if (!(proximityMetres > 0)) {
                    throw new GeofenceValidationException(label + ": proximity distance must be positive metres");
                }
                if (warningMetres != 0 && !(warningMetres > proximityMetres)) {
                    throw new GeofenceValidationException(label + ": warning distance " + warningMetres
                            + " m must exceed the proximity distance " + proximityMetres + " m (or be 0 for none)");
                }
                if (zone != null || sharedZones != null) {
                    throw new GeofenceValidationException(label + ": a proximity rule targets a victim unit, not a"
                            + " zone");
                }
            } else if ((zone == null) == (sharedZones == null)) {
                throw new GeofenceValidationException(label + ": needs exactly one of a zone or a shared zone set");
            } else if (warningMetres != 0 && (kind != RuleKind.EXCLUSION || !(warningMetres > 0))) {
                throw new GeofenceValidationException(label + ": an approach warning distance is for exclusion zones"
                        + " and must be positive metres");
            }
            if (curfewWarningSeconds != 0 && (kind != RuleKind.CURFEW || curfewWarningSeconds < 0)) {
                throw new GeofenceValidationException(label + ": a warning before the window is for curfews and must"
                        + " be positive seconds");
            }
            if (kind == RuleKind.CURFEW && schedule == null) {
                throw new GeofenceValidationException(label + ": a curfew needs a schedule");
            }
            if (!Double.isNaN(graceMetres) && !(graceMetres >= 0)) {
                throw new GeofenceValidationException(label + ": grace buffer must be 0 or more metres");
            }
            if (staleVictimSeconds <= 0) {
                throw new GeofenceValidationException(label + ": stale victim threshold must be positive");
            }
            return new Rule(this);
        }
    }
}
