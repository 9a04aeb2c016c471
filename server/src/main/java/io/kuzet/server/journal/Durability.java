package io.kuzet.server.journal;

import java.io.Closeable;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;

/**
 * Decides when an appended journal index counts as durable, i.e. when a device may be told it is stored (ack,
 * re-ack of a duplicate, LOGIN_RESULT's last sequence, GT06/Watch replies).
 * {@link ProcessDurability}: at once (the memory-mapped write survives a crash of the process);
 * {@link FsyncGroupCommit}: after the journal file was forced to disk by a group commit. A durability that
 * {@linkplain #failure() failed} never runs an action again (fail-stop).
 */
public interface Durability extends Closeable {

    /** Called by the appending thread right after each append. */
    void appended(ExcerptAppender appender);

    /** Runs {@code action} once {@code index} is durable: immediately on the calling thread, or later on the committer thread. */
    default void whenDurable(long index, Runnable action) {
        whenDurable(index, action, null);
    }

    /**
     * As {@link #whenDurable(long, Runnable)}; if the journal fails before {@code index} is durable the action never
     * runs and {@code discarded} (may be null) runs instead, so the action's resources (a reply buffer) are freed.
     */
    void whenDurable(long index, Runnable action, Runnable discarded);

    /** True when {@link #whenDurable} always runs the action immediately on the caller's thread. */
    boolean immediate();

    /** Why forcing the journal failed (the server must stop acking and exit), or null while it works. */
    default Throwable failure() {
        return null;
    }

    @Override
    void close();

    /** Creates the durability policy for a queue. */
    interface Factory {
        Durability create(ChronicleQueue queue);
    }
}
