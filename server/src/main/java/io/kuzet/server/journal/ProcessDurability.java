package io.kuzet.server.journal;

import net.openhft.chronicle.queue.ExcerptAppender;

/**
 * Acks as soon as the record is in the memory-mapped journal file. The page cache survives a crash (even
 * {@code kill -9}) of the server process, not a crash of the operating system or a power loss.
 */
public final class ProcessDurability implements Durability {
    public static final Factory FACTORY = queue -> new ProcessDurability();

    @Override
    public void appended(ExcerptAppender appender) {
        // the mmap write is already visible to every process and survives our own death
    }

    @Override
    public void whenDurable(long index, Runnable action) {
        action.run();
    }

    @Override
    public void whenDurable(long index, Runnable action, Runnable discarded) {
        action.run();
    }

    @Override
    public boolean immediate() {
        return true;
    }

    @Override
    public void close() {
    }
}
