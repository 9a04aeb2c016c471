package io.kuzet.server.journal.kafka;

/**
 * A record's position in the Kafka journal as one long, for {@link io.kuzet.server.journal.IngestRecord#index} and the
 * {@code journal_index} column of stored rows: the partition in the top 23 bits, the offset in the low 40 (10^12
 * records per partition).
 */
public final class KafkaIndex {
    private static final int OFFSET_BITS = 40;
    private static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;

    private KafkaIndex() {
    }

    public static long of(int partition, long offset) {
        return ((long) partition << OFFSET_BITS) | (offset & OFFSET_MASK);
    }

    public static int partition(long index) {
        return (int) (index >>> OFFSET_BITS);
    }

    public static long offset(long index) {
        return index & OFFSET_MASK;
    }
}
