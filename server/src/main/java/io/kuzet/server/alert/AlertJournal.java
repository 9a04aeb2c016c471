package io.kuzet.server.alert;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.function.ObjLongConsumer;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import io.kuzet.server.journal.ChronicleCrashRecovery;
import org.agrona.collections.LongHashSet;

/**
 * The alerts journal: every alert transition the core emitted, in order, so storage and delivery can replay them
 * and a restarted core does not emit one twice. {@link #append} is called by the core thread only; readers create
 * their own tailers. Records have {@link AlertCodec}'s layout.
 *
 * <p>De-duplication memory is bounded: the (id, phase) keys of the last {@code window} transitions, loaded at start
 * from the journal position where the core's snapshot was taken ({@link #rememberFrom}). A restored core re-derives
 * only transitions after that position, so that is all it must recognise (server/RATIONALE.md). A start without a
 * snapshot loads every retained key for the full replay and trims to the window afterwards ({@link #trim}).
 */
public final class AlertJournal implements Closeable {

    private final ChronicleQueue queue;
    private final ExcerptAppender appender;
    /** Transitions remembered for de-duplication by default; far above what a snapshot interval emits. */
    public static final int DEFAULT_WINDOW = 262_144;

    private final int window;
    private final LongHashSet emitted = new LongHashSet();
    private long[] order = new long[1024];    // remembered keys, oldest first, as a ring
    private int head;
    private int size;
    private boolean loading;
    private final int crashRecoveries;

    public AlertJournal(Path directory) {
        this(directory, DEFAULT_WINDOW);
    }

    public AlertJournal(Path directory, int window) {
        this(directory, window, null);
    }

    /** @param fileClock decides which daily file an append goes to (tests roll days without waiting); null = wall clock */
    public AlertJournal(Path directory, int window, net.openhft.chronicle.core.time.TimeProvider fileClock) {
        this.window = window;
        this.crashRecoveries = ChronicleCrashRecovery.recover(directory, "alerts");
        SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(directory).rollCycle(RollCycles.FAST_DAILY);
        if (fileClock != null) {
            builder.timeProvider(fileClock);
        }
        this.queue = builder.build();
        this.appender = queue.createAppender();
    }

    /**
     * Loads the keys of the transitions after {@code index} (-1 = every retained one) so that a replay does not
     * append them again; the window is not enforced until {@link #trim}. Returns the number of transitions read.
     */
    public long rememberFrom(long index) {
        loading = true;
        long[] read = new long[1];
        try (ExcerptTailer tailer = queue.createTailer()) {
            if (index >= 0 && tailer.moveToIndex(index)) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    // skip the record at index itself: it was emitted before the snapshot was taken
                }
            }
            readFrom(tailer, (alert, i) -> {
                remember(key(alert.alertId(), alert.phase()));
                read[0]++;
            }, Long.MAX_VALUE);
        }
        return read[0];
    }

    /** Ends loading: from now on only the last {@code window} transitions are remembered. */
    public void trim() {
        loading = false;
        while (size > window) {
            forgetOldest();
        }
    }

    /** Number of transitions currently remembered for de-duplication. */
    public int rememberedCount() {
        return size;
    }

    /** Files a crash left half-created that opening this journal moved aside (see {@link ChronicleCrashRecovery}). */
    public int crashRecoveries() {
        return crashRecoveries;
    }

    /** Index of the last alert in the journal, or -1 when it is empty (what a core snapshot records). */
    public long lastIndex() {
        long last = queue.lastIndex();
        return last == Long.MIN_VALUE ? -1 : last;
    }

    private boolean remember(long key) {
        if (!emitted.add(key)) {
            return false;
        }
        if (size == order.length) {
            long[] grown = new long[Math.max(order.length * 2, 16)];
            for (int i = 0; i < size; i++) {
                grown[i] = order[(head + i) % order.length];
            }
            order = grown;
            head = 0;
        }
        order[(head + size) % order.length] = key;
        size++;
        if (!loading && size > window) {
            forgetOldest();
        }
        return true;
    }

    private void forgetOldest() {
        emitted.remove(order[head]);
        head = (head + 1) % order.length;
        size--;
    }

    /** Hands the appender to the calling thread (Chronicle checks that one thread uses an appender). */
    public void handOverToCurrentThread() {
        appender.singleThreadedCheckReset();
    }

    /** True when this transition of this alert is already in the journal (e.g. emitted before a restart). */
    public boolean contains(long alertId, Alert.Phase phase) {
        return emitted.contains(key(alertId, phase));
    }

    /**
     * Remembers a transition emitted elsewhere without appending it (Kafka: one the previous owner of a partition put on
     * the alerts topic), so that re-deriving it is recognised as a duplicate. Core thread only.
     */
    public void recognise(long alertId, Alert.Phase phase) {
        remember(key(alertId, phase));
    }

    /** Appends unless already present; returns false for a duplicate. Core thread only. */
    public boolean append(Alert alert) {
        if (!remember(key(alert.alertId(), alert.phase()))) {
            return false;
        }
        try (DocumentContext dc = appender.writingDocument()) {
            AlertCodec.write(dc.wire().bytes(), alert);
        }
        return true;
    }

    /** Reads every alert from the start, with its journal index. */
    public void readAll(ObjLongConsumer<Alert> consumer) {
        try (ExcerptTailer tailer = queue.createTailer()) {
            readFrom(tailer, consumer, Long.MAX_VALUE);
        }
    }

    public ChronicleQueue queue() {
        return queue;
    }

    /** A tailer for consumers that follow the journal (storage writer). */
    public ExcerptTailer createTailer() {
        return queue.createTailer();
    }

    /** Reads up to {@code max} alerts from the tailer; returns how many were read. */
    public static int readFrom(ExcerptTailer tailer, ObjLongConsumer<Alert> consumer, long max) {
        int read = 0;
        while (read < max) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return read;
                }
                Alert alert = AlertCodec.read(dc.wire().bytes());
                if (alert != null) {
                    consumer.accept(alert, dc.index());
                    read++;
                }
            }
        }
        return read;
    }

    private static long key(long alertId, Alert.Phase phase) {
        return (alertId << 1) | phase.ordinal();
    }

    @Override
    public void close() {
        appender.close();
        queue.close();
    }
}
