package io.kuzet.server.journal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
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
 * <p>Also forced: the journal directory (and Chronicle's {@code metadata.cq4t}) after a new cycle file appeared, so
 * the new file's directory entry survives a power loss; and, when the journal is opened, every file already in it,
 * so a re-ack of a record written by a previous process (which may have died before its force) is honest too.
 *
 * <p>Fail-stop: if a force fails, no action runs ever again (pending and later ones are discarded) and the failure
 * listener is told once. The force is never retried: after a failed fdatasync Linux may mark the pages clean and
 * report success for data that never reached the disk. See {@link JournalFailStop}.
 *
 * <p>Thread-safe. {@link #whenDurable} allocates one small node per pending ack (fsync mode only).
 */
public final class FsyncGroupCommit implements Durability {
    private static final Logger LOG = LoggerFactory.getLogger(FsyncGroupCommit.class);

    /** How a file or directory is forced; tests substitute one that fails or blocks. */
    @FunctionalInterface
    public interface Forcer {
        Forcer FDATASYNC = (channel, path) -> channel.force(false);

        void force(FileChannel channel, Path path) throws IOException;
    }

    private final long intervalNanos;
    private final Forcer forcer;
    private final Consumer<Throwable> failureListener;
    private final ConcurrentLinkedQueue<PendingAction> pending = new ConcurrentLinkedQueue<>();
    private final Thread committer;
    private final AtomicLong forces = new AtomicLong();
    private final AtomicLong forceNanosTotal = new AtomicLong();
    private volatile boolean running = true;
    private volatile Throwable failure;

    // The files appended to since the last force; a day roll can leave two of them dirty.
    private volatile int currentCycle = Integer.MIN_VALUE;
    private volatile File currentFile;
    private volatile File previousFile;
    private volatile boolean directoryDirty;

    private File openFile;
    private FileChannel openChannel;

    public FsyncGroupCommit(int intervalMs) {
        this(intervalMs, Forcer.FDATASYNC, null, cause -> { });
    }

    /**
     * @param directory       the queue directory; its files are forced now, and it is forced after a new cycle file
     * @param failureListener told once, on the committer thread, when a force failed
     */
    public FsyncGroupCommit(int intervalMs, Forcer forcer, Path directory, Consumer<Throwable> failureListener) {
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMs);
        this.forcer = forcer;
        this.failureListener = failureListener;
        if (directory != null) {
            forceExisting(directory);
        }
        this.committer = new Thread(this::run, "kuzet-journal-fsync");
        this.committer.setDaemon(true);
        this.committer.start();
    }

    public static Factory factory(int intervalMs) {
        return queue -> new FsyncGroupCommit(intervalMs);
    }

    /** The server's factory: forces the queue's existing files at open and reports a failed force to {@code failureListener}. */
    public static Factory factory(int intervalMs, Forcer forcer, Consumer<Throwable> failureListener) {
        return queue -> new FsyncGroupCommit(intervalMs, forcer, queue.file().toPath(), failureListener);
    }

    /** As {@link #factory(int, Forcer, Consumer)} with a listener that only logs. */
    public static Factory factory(int intervalMs, Forcer forcer) {
        return factory(intervalMs, forcer, cause -> { });
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
                    directoryDirty = true;   // the cycle file may have just been created
                }
            }
        }
    }

    @Override
    public void whenDurable(long index, Runnable action, Runnable discarded) {
        if (failure != null) {
            discard(action, discarded);
            return;
        }
        pending.add(new PendingAction(index, action, discarded));
        if (!running) {
            drainAndRun();
        }
    }

    @Override
    public boolean immediate() {
        return false;
    }

    @Override
    public Throwable failure() {
        return failure;
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
        if (failure != null) {
            group.forEach(a -> discard(a.action, a.discarded));
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
                if (directoryDirty) {
                    directoryDirty = false;
                    forceDirectory(cur.toPath().getParent());
                }
            }
        } catch (IOException | RuntimeException e) {
            failed(e, group);
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

    private void failed(Throwable cause, List<PendingAction> group) {
        failure = cause;
        group.forEach(a -> discard(a.action, a.discarded));
        PendingAction next;
        while ((next = pending.poll()) != null) {
            discard(next.action, next.discarded);
        }
        LOG.error("journal fsync failed; {} acks withheld, no ack will be sent by this process again", group.size(), cause);
        failureListener.accept(cause);
    }

    private static void discard(Runnable action, Runnable discarded) {
        if (discarded != null) {
            try {
                discarded.run();
            } catch (RuntimeException e) {
                LOG.warn("discarding {} after a journal failure failed", action, e);
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
        forcer.force(openChannel, file.toPath());
    }

    /** Makes the directory entries (a new cycle file) and Chronicle's cycle table durable. */
    private void forceDirectory(Path directory) throws IOException {
        Path metadata = directory.resolve("metadata.cq4t");
        if (Files.exists(metadata)) {
            try (FileChannel channel = FileChannel.open(metadata, StandardOpenOption.WRITE)) {
                forcer.force(channel, metadata);
            }
        }
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            forcer.force(channel, directory);
        }
    }

    /** At open: whatever a previous process appended (and perhaps never forced) is on disk before anything is acked. */
    private void forceExisting(Path directory) {
        try {
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> cycles = Files.newDirectoryStream(directory, "*.cq4")) {
                cycles.forEach(files::add);
            }
            for (Path file : files) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    forcer.force(channel, file);
                }
            }
            forceDirectory(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot force the existing journal files in " + directory + " to disk", e);
        }
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

    private record PendingAction(long index, Runnable action, Runnable discarded) {
    }
}
