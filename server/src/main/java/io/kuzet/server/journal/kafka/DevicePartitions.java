package io.kuzet.server.journal.kafka;

/**
 * Which partition of the ingest topic holds a device's records. The producer names the partition explicitly (instead
 * of leaving it to Kafka's key hash) so the evaluation core can tell, for a clock tick read from partition p, which
 * devices that tick is for: each partition carries its own ticks, and a device's absence timers run only on its own
 * partition's ticks, so a replay of one partition re-derives the same alerts whatever order partitions are read in.
 * Changing the partition count of a running topic moves devices between partitions: don't.
 */
public final class DevicePartitions {
    private DevicePartitions() {
    }

    /** The partition (0..partitions-1) of {@code deviceId}. */
    public static int of(long deviceId, int partitions) {
        long h = deviceId * 0x9E3779B97F4A7C15L;   // Fibonacci hashing: consecutive ids spread over partitions
        return Math.floorMod((int) (h ^ (h >>> 32)), partitions);
    }
}
