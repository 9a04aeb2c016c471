package io.kuzet.server.journal.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** When a device may be told its record is stored: only after Kafka acknowledged that record, and never after a failure. */
class KafkaAcksTest {
    private final List<Throwable> failures = new ArrayList<>();
    private final KafkaAcks acks = new KafkaAcks(failures::add);
    private final List<String> sent = new ArrayList<>();

    @Test
    void anAckWaitsForItsOwnRecordEvenWhenOtherPartitionsCompleteFirst() {
        acks.whenDurable(0, () -> sent.add("ack 0"));
        acks.whenDurable(1, () -> sent.add("ack 1"));
        acks.completed(1, null);                 // another partition's record completes first
        assertEquals(List.of("ack 1"), sent);
        acks.completed(0, null);
        assertEquals(List.of("ack 1", "ack 0"), sent);
        assertEquals(1, acks.watermark());
    }

    @Test
    void aDuplicatesReAckOfAnAlreadyAcknowledgedRecordIsSentAtOnce() {
        acks.completed(0, null);
        acks.completed(2, null);
        acks.whenDurable(0, () -> sent.add("re-ack 0"));
        acks.whenDurable(2, () -> sent.add("re-ack 2"));
        acks.whenDurable(1, () -> sent.add("ack 1"));
        assertEquals(List.of("re-ack 0", "re-ack 2"), sent);
        acks.completed(1, null);
        assertEquals(List.of("re-ack 0", "re-ack 2", "ack 1"), sent);
        assertEquals(2, acks.watermark());
    }

    @Test
    void aFailedAppendWithholdsEveryPendingAndLaterAckAndIsReportedOnce() {
        List<String> released = new ArrayList<>();
        acks.whenDurable(0, () -> sent.add("ack 0"), () -> released.add("reply 0 freed"));
        acks.completed(0, new TimeoutException("delivery timeout"));
        acks.completed(1, new TimeoutException("delivery timeout"));
        acks.whenDurable(2, () -> sent.add("ack 2"), () -> released.add("reply 2 freed"));
        acks.completed(2, null);
        assertTrue(sent.isEmpty(), "nothing is acked once Kafka failed to acknowledge an append");
        assertEquals(List.of("reply 0 freed", "reply 2 freed"), released);
        assertEquals(1, failures.size());
        assertNotNull(acks.failure());
    }
}
