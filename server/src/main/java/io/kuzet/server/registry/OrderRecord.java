package io.kuzet.server.registry;

import java.time.Instant;
import java.time.ZoneId;

/**
 * A court order: monitoring starts at {@code startsAt} and stops at {@code endsAt} (exclusive; null = open-ended).
 * Limits of 0 mean "use the server default". Immutable.
 */
public record OrderRecord(
        long id,
        long subjectId,
        String legalReference,
        OrderKind kind,
        Instant startsAt,
        Instant endsAt,
        ZoneId timeZone,
        RiskLevel riskLevel,
        int noCommunicationLimitS,
        int noFixLimitS) {

    public boolean activeAt(long epochMs) {
        return startsAt.toEpochMilli() <= epochMs && (endsAt == null || epochMs < endsAt.toEpochMilli());
    }
}
