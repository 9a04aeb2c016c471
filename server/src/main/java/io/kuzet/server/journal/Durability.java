package io.kuzet.server.journal;

import java.io.Closeable;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;

/**
 * Decides when an appended journal index counts as durable, i.e. when a device may be acked for it.
 * {@link ProcessDurability}: at once (the memory-mapped write survives a crash of the process);
 * {@link FsyncGroupCommit}: after the journal file was forced to disk by a group commit.
 */
public interface Durability extends Closeable {

    /** Called by the appending thread right after each append. */
    void appended(ExcerptAppender appender);

    /** Runs {@code action} once {@code index} is durable: immediately on the calling thread, or later on the committer thread. */
    void whenDurable(long index, Runnable action);

    /** True when {@link #whenDurable} always runs the action immediately on the caller's thread. */
    boolean immediate();

    @Override
    void close();

    /** Creates the durability policy for a queue. */
    interface Factory {
        Durability create(ChronicleQueue queue);
    }
}
