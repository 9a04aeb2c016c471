package io.kuzet.server.journal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import net.openhft.chronicle.queue.ExcerptAppender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: acks wait until the journal file holding their record has been forced to disk with
 * {@link FileChannel#force(boolean)} (fdatasync), done by one committer thread every {@code intervalMs} for
 * everything appended since the previous force.
 *
 * <p>Why not Chronicle's own sync: on this platform its {@code msync} calls were seen to fail with EINVAL
 * (unaligned address) and be ignored, persisting nothing. fdatasync on the cycle file writes back every dirty
 * page of the file, including pages dirtied through the shared memory mapping.
 *
 * <p>Thread-safe. {@link #whenDurable} allocates one small node per pending ack (fsync mode only).
 */
public final class FsyncGroupCommit implements Durability {
    private static final Logger LOG = LoggerFactory.getLogger(FsyncGroupCommit.class);

    private final long intervalNanos;
    private final ConcurrentLinkedQueue<PendingAction> pending = new ConcurrentLinkedQueue<>();
    private final Thread committer;
    private final AtomicLong forces = new AtomicLong();
    private final AtomicLong forceNanosTotal = new AtomicLong();
    private volatile boolean running = true;

    // The files appended to since the last force; a day roll can leave two of them dirty.
    private volatile int currentCycle = Integer.MIN_VALUE;
    private volatile File currentFile;
    private volatile File previousFile;

    private File openFile;
    private FileChannel openChannel;

    public FsyncGroupCommit(int intervalMs) {
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMs);
        this.committer = new Thread(this::run, "kuzet-journal-fsync");
        this.committer.setDaemon(true);
        this.committer.start();
    }

    public static Factory factory(int intervalMs) {
        return queue -> new FsyncGroupCommit(intervalMs);
    }

    @Override
    public void appended(ExcerptAppender appender) {
        int cycle = appender.cycle();
        if (cycle != currentCycle) {
            synchronized (this) {
                if (cycle != currentCycle) {
                    previousFile = currentFile;
                    currentFile = appender.currentFile();
                    currentCycle = cycle;
                }
            }
        }
    }

    @Override
    public void whenDurable(long index, Runnable action) {
        pending.add(new PendingAction(index, action));
        if (!running) {
            drainAndRun();
        }
    }

    @Override
    public boolean immediate() {
        return false;
    }

    /** Number of forces done so far (each covers a group of appends). */
    public long forces() {
        return forces.get();
    }

    public long forceNanosTotal() {
        return forceNanosTotal.get();
    }

    private void run() {
        while (running) {
            LockSupport.parkNanos(intervalNanos);
            if (!pending.isEmpty()) {
                drainAndRun();
            }
        }
        drainAndRun();
    }

    private synchronized void drainAndRun() {
        List<PendingAction> group = new ArrayList<>();
        PendingAction next;
        while ((next = pending.poll()) != null) {
            group.add(next);
        }
        if (group.isEmpty()) {
            return;
        }
        // every action in the group was enqueued after its append, so forcing now covers all of them
        long start = System.nanoTime();
        try {
            File prev = previousFile;
            if (prev != null) {
                force(prev);
                previousFile = null;
            }
            File cur = currentFile;
            if (cur != null) {
                force(cur);
            }
        } catch (IOException e) {
            // Never ack what is not on disk: the devices keep their buffers and retransmit.
            LOG.error("journal fsync failed; {} acks withheld", group.size(), e);
            return;
        }
        forceNanosTotal.addAndGet(System.nanoTime() - start);
        forces.incrementAndGet();
        for (PendingAction action : group) {
            try {
                action.action.run();
            } catch (RuntimeException e) {
                LOG.warn("ack after fsync failed for index {}", action.index, e);
            }
        }
    }

    private void force(File file) throws IOException {
        if (!file.equals(openFile)) {
            if (openChannel != null) {
                openChannel.close();
            }
            openChannel = FileChannel.open(file.toPath(), StandardOpenOption.WRITE);
            openFile = file;
        }
        openChannel.force(false);
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(committer);
        try {
            committer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (openChannel != null) {
                try {
                    openChannel.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private record PendingAction(long index, Runnable action) {
    }
}
