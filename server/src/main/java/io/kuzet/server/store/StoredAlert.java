package io.kuzet.server.store;

import java.time.Instant;

/** An alert row as stored, for queues and reports. Immutable. */
public record StoredAlert(long id, String type, String severity, long subjectId, long deviceId, long ruleId,
                          Instant fixTime, Instant detectedAt, boolean late, String state, String explanation,
                          String detailsJson, String disposition, boolean escalated) {
}
