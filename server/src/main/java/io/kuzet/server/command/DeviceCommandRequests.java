package io.kuzet.server.command;

/**
 * Where commands are asked for. The command service implements it with a durable outbox: queued, sent when the device
 * is connected, retried on reconnect, expired after the time to live. Called from the evaluation core's thread, so an
 * implementation must not block on the network or the database.
 */
public interface DeviceCommandRequests {
    /** Does nothing; for a server built without the command service and for tests of the core alone. */
    DeviceCommandRequests NONE = request -> { };

    /** Queues the command; a request whose non-null dedupKey was seen before for the device is ignored. */
    void request(CommandRequest request);

    /**
     * Waits until every request made so far is stored (or refused and counted); false when that did not happen within
     * {@code timeout}. The core's snapshot writer asks before it writes: a snapshot taken after a request that a crash
     * could still lose would stop the restarted core from asking again (its replay starts after the snapshot).
     */
    default boolean awaitStored(java.time.Duration timeout) {
        return true;
    }
}
