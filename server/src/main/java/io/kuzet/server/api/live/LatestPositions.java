package io.kuzet.server.api.live;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kuzet.protocol.Fix;
import io.kuzet.server.api.http.Json;
import io.kuzet.server.journal.IngestRecord;
import io.kuzet.server.registry.DeviceRecord;
import io.kuzet.server.registry.DeviceRole;
import io.kuzet.server.registry.RegistrySnapshot;
import io.kuzet.server.registry.SubjectRecord;
import java.util.HashMap;
import java.util.Map;

/**
 * The live position stream's coalescing: of the fixes read in one poll, only the newest valid one per subject (from
 * its bracelet) is sent, as {@code {"kind":"position", ...}} with the subject's agency. Whichever journal the fixes come
 * from (the embedded journal in {@link AgencyLiveHub}, the ingest topic in {@link KafkaLiveFeed}). Not thread-safe: one
 * instance per reading thread.
 */
final class LatestPositions {
    /** Where a coalesced position goes: to the subscribers who see {@code agencyId} and asked for positions. */
    @FunctionalInterface
    interface Sink {
        void send(long agencyId, String json);
    }

    private final Map<Long, ObjectNode> latestBySubject = new HashMap<>();

    /** Keeps the record's fixes that are newer than what this poll already holds for the subject. */
    void add(IngestRecord record, RegistrySnapshot registry) {
        if (record.type != IngestRecord.TYPE_DEVICE_MESSAGE) {
            return;
        }
        DeviceRecord device = registry.device(record.deviceId);
        if (device == null || device.subjectId() == 0 || device.role() != DeviceRole.BRACELET) {
            return;
        }
        for (int i = 0; i < record.message.fixCount(); i++) {
            Fix fix = record.message.fix(i);
            ObjectNode previous = latestBySubject.get(device.subjectId());
            if (!fix.isValid() || (previous != null && previous.path("timeMs").asLong() >= fix.timeMs)) {
                continue;
            }
            ObjectNode node = Json.object();
            node.put("kind", "position");
            node.put("subjectId", Long.toString(device.subjectId()));
            node.put("deviceNumber", Long.toString(device.deviceNumber()));
            node.put("timeMs", fix.timeMs);
            node.put("time", java.time.Instant.ofEpochMilli(fix.timeMs).toString());
            node.put("lat", fix.latitude());
            node.put("lon", fix.longitude());
            if (fix.accuracyDm != Fix.ACCURACY_UNKNOWN) {
                node.put("accuracyMetres", fix.accuracyMetres());
            }
            latestBySubject.put(device.subjectId(), node);
        }
    }

    /** Sends what this poll gathered, one message per subject, and starts the next poll empty. */
    void flush(RegistrySnapshot registry, Sink sink) {
        if (latestBySubject.isEmpty()) {
            return;
        }
        for (ObjectNode node : latestBySubject.values()) {
            SubjectRecord subject = registry.subject(Long.parseLong(node.get("subjectId").asText()));
            long agency = subject == null ? -1 : subject.agencyId();
            node.put("agencyId", Long.toString(agency));
            sink.send(agency, Json.write(node));
        }
        latestBySubject.clear();
    }
}
