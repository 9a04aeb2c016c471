package io.kuzet.server.api.alerts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kuzet.server.alert.Severity;
import io.kuzet.server.api.http.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * Who must look at an alert, and by when. An alert <em>needs review</em> until a person resolves it with a
 * disposition when it is OPEN or ACKNOWLEDGED (any severity), or CLEARED by itself at or above the review severity
 * ("ended, needs review"): a violation that ended before anyone looked at it is still a violation. A CLEARED alert
 * below the review severity (e.g. a LOW "zone uncertain" that came and went) leaves the queue.
 *
 * <p>SLA timers run from detection: an alert nobody acknowledged (OPEN, or CLEARED without acknowledgement) is due
 * within the acknowledgement SLA of its severity; an acknowledged one (ACKNOWLEDGED, or CLEARED after
 * acknowledgement) must be resolved within {@value #RESOLVE_SLA_FACTOR} times that. Past its due time an unreviewed
 * alert escalates to a supervisor, whatever its state. Immutable.
 */
public final class ReviewPolicy {
    /** An acknowledged alert gets this many acknowledgement SLAs to be resolved. */
    public static final int RESOLVE_SLA_FACTOR = 4;
    public static final Severity DEFAULT_REVIEW_SEVERITY = Severity.MEDIUM;

    private final Severity reviewSeverity;
    private final Map<String, Duration> ackSla;

    public ReviewPolicy(Severity reviewSeverity, Map<String, Duration> ackSla) {
        this.reviewSeverity = reviewSeverity == null ? DEFAULT_REVIEW_SEVERITY : reviewSeverity;
        this.ackSla = Map.copyOf(ackSla);
    }

    /** The review severity named by a setting; blank or absent = {@link #DEFAULT_REVIEW_SEVERITY}. */
    public static Severity severityFromEnv(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_REVIEW_SEVERITY;
        }
        try {
            return Severity.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("api.reviewSeverity must be LOW, MEDIUM, HIGH or CRITICAL, not '" + value + "'", e);
        }
    }

    public Severity reviewSeverity() {
        return reviewSeverity;
    }

    /** Whether an alert in this state still waits for a person. */
    public boolean needsReview(String state, String severity) {
        return switch (state) {
            case "OPEN", "ACKNOWLEDGED" -> true;
            case "CLEARED" -> reviewed(severity);
            default -> false;
        };
    }

    /** Whether a cleared alert of this severity must still be reviewed. */
    public boolean reviewed(String severity) {
        return Severity.valueOf(severity).ordinal() >= reviewSeverity.ordinal();
    }

    public Duration ackSla(String severity) {
        return ackSla.getOrDefault(severity, Duration.ofMinutes(60));
    }

    public Duration resolveSla(String severity) {
        return ackSla(severity).multipliedBy(RESOLVE_SLA_FACTOR);
    }

    /** When this unreviewed alert escalates; null when it needs no review. */
    public Instant dueAt(String state, String severity, Instant detectedAt, boolean acknowledged) {
        if (!needsReview(state, severity) || detectedAt == null) {
            return null;
        }
        return detectedAt.plus(acknowledged ? resolveSla(severity) : ackSla(severity));
    }

    /** The policy as the console needs it (review severity, SLAs in seconds). */
    public ObjectNode toJson() {
        ObjectNode n = Json.object().put("reviewSeverity", reviewSeverity.name()).put("resolveSlaFactor", RESOLVE_SLA_FACTOR);
        ObjectNode sla = n.putObject("ackSlaSeconds");
        for (Severity s : Severity.values()) {
            sla.put(s.name(), ackSla(s.name()).toSeconds());
        }
        return n;
    }
}
