package io.kuzet.server.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.ObjLongConsumer;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The alerts journal: every alert transition the core emitted, in order, so storage and delivery can replay them
 * and a restarted core does not emit one twice. {@link #append} is called by the core thread only; readers create
 * their own tailers. Enum values are written by name so reordering an enum never corrupts old records.
 *
 * <pre>
 * u8 version=1 | i64 alertId | utf8 phase | utf8 type | utf8 severity | i64 deviceId | i64 deviceNumber
 * | i64 subjectId | i64 orderId | i64 ruleId | i64 fixTimeMs | i64 detectedAtMs | u8 late | utf8 explanation | utf8 details JSON
 * </pre>
 */
public final class AlertJournal implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() { };

    private final ChronicleQueue queue;
    private final ExcerptAppender appender;
    private final Set<Long> emitted = new HashSet<>();

    public AlertJournal(Path directory) {
        this.queue = SingleChronicleQueueBuilder.binary(directory).rollCycle(RollCycles.FAST_DAILY).build();
        this.appender = queue.createAppender();
        readAll((alert, index) -> emitted.add(key(alert.alertId(), alert.phase())));
    }

    /** Hands the appender to the calling thread (Chronicle checks that one thread uses an appender). */
    public void handOverToCurrentThread() {
        appender.singleThreadedCheckReset();
    }

    /** True when this transition of this alert is already in the journal (e.g. emitted before a restart). */
    public boolean contains(long alertId, Alert.Phase phase) {
        return emitted.contains(key(alertId, phase));
    }

    /** Appends unless already present; returns false for a duplicate. Core thread only. */
    public boolean append(Alert alert) {
        if (!emitted.add(key(alert.alertId(), alert.phase()))) {
            return false;
        }
        String details;
        try {
            details = JSON.writeValueAsString(alert.details());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        try (DocumentContext dc = appender.writingDocument()) {
            Bytes<?> b = dc.wire().bytes();
            b.writeByte((byte) 1);
            b.writeLong(alert.alertId());
            b.writeUtf8(alert.phase().name());
            b.writeUtf8(alert.type().name());
            b.writeUtf8(alert.severity().name());
            b.writeLong(alert.deviceId());
            b.writeLong(alert.deviceNumber());
            b.writeLong(alert.subjectId());
            b.writeLong(alert.orderId());
            b.writeLong(alert.ruleId());
            b.writeLong(alert.fixTimeMs());
            b.writeLong(alert.detectedAtMs());
            b.writeByte((byte) (alert.late() ? 1 : 0));
            b.writeUtf8(alert.explanation());
            b.writeUtf8(details);
        }
        return true;
    }

    /** Reads every alert from the start, with its journal index. */
    public void readAll(ObjLongConsumer<Alert> consumer) {
        try (ExcerptTailer tailer = queue.createTailer()) {
            readFrom(tailer, consumer, Long.MAX_VALUE);
        }
    }

    public ChronicleQueue queue() {
        return queue;
    }

    /** A tailer for consumers that follow the journal (storage writer). */
    public ExcerptTailer createTailer() {
        return queue.createTailer();
    }

    /** Reads up to {@code max} alerts from the tailer; returns how many were read. */
    public static int readFrom(ExcerptTailer tailer, ObjLongConsumer<Alert> consumer, long max) {
        int read = 0;
        while (read < max) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return read;
                }
                Alert alert = decode(dc.wire().bytes());
                if (alert != null) {
                    consumer.accept(alert, dc.index());
                    read++;
                }
            }
        }
        return read;
    }

    private static Alert decode(Bytes<?> b) {
        if (b.readUnsignedByte() != 1) {
            return null;
        }
        long alertId = b.readLong();
        Alert.Phase phase = Alert.Phase.valueOf(b.readUtf8());
        AlertType type = AlertType.valueOf(b.readUtf8());
        Severity severity = Severity.valueOf(b.readUtf8());
        long deviceId = b.readLong();
        long deviceNumber = b.readLong();
        long subjectId = b.readLong();
        long orderId = b.readLong();
        long ruleId = b.readLong();
        long fixTimeMs = b.readLong();
        long detectedAtMs = b.readLong();
        boolean late = b.readUnsignedByte() != 0;
        String explanation = b.readUtf8();
        Map<String, Object> details;
        try {
            details = JSON.readValue(b.readUtf8(), DETAILS);
        } catch (JsonProcessingException e) {
            details = Map.of();
        }
        return new Alert(alertId, phase, type, severity, deviceId, deviceNumber, subjectId, orderId, ruleId,
                fixTimeMs, detectedAtMs, late, explanation, details);
    }

    private static long key(long alertId, Alert.Phase phase) {
        return (alertId << 1) | phase.ordinal();
    }

    @Override
    public void close() {
        appender.close();
        queue.close();
    }
}
