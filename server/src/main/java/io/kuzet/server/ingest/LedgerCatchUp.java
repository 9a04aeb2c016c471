package io.kuzet.server.ingest;

/**
 * Where a login waits for the de-duplication ledger to know everything stored for the device so far, when other nodes
 * append to the same journal (Kafka, docs/scale-out.md "The reconnect window"): without it a device that sent through
 * node A and reconnects to node B at once could have its retransmission appended a second time, because B learns A's
 * appends only by reading them back. With the embedded journal there is no other writer and no wait (no instance).
 */
public interface LedgerCatchUp {
    /**
     * Calls {@code done} once the ledger holds every record of the device's partition that was in the journal when this
     * was called ({@code true}), or once that could not be reached within the configured bound ({@code false}). The call
     * comes from another thread, exactly once.
     */
    void whenCaughtUp(long deviceId, Done done);

    /** The outcome of {@link #whenCaughtUp}. */
    @FunctionalInterface
    interface Done {
        void caughtUp(boolean reached);
    }
}
