package io.kuzet.server.journal;

import io.kuzet.protocol.DeviceMessage;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The embedded ingest journal ({@code journal.kind=chronicle}, the default): a Chronicle Queue (daily files) holding every device message that was accepted, in the
 * order it was accepted, plus clock ticks. It is the only hand-off between ingestion and evaluation/storage.
 *
 * <p>Appends are thread-safe: each thread (a Netty event loop) gets its own appender, and they take turns on
 * {@link #appendLock} before Chronicle's own write lock. An append costs well under a microsecond and allocates
 * nothing. A device is acked only after {@link #durability()} says the appended index is durable.
 */
public final class IngestJournal implements Journal {
    private final ChronicleQueue queue;
    private final Durability durability;
    private final int crashRecoveries;
    private final java.util.concurrent.atomic.LongAdder appendsSinceOpen = new java.util.concurrent.atomic.LongAdder();
    /**
     * Taken around every append. Chronicle serialises appenders with a lock word in the queue's table store that a
     * waiter spins on (busily, then yielding) for as long as another thread holds it; when the holder is descheduled
     * (more appending threads than cores, or a busy machine) the waiters burned the CPU: 20-45 % of the server's
     * samples at 50,000 fixes/s (docs/performance.md, "CPU per stored fix"). A waiter here parks instead, and
     * Chronicle's lock is always free by the time a thread reaches it. An uncontended append allocates nothing; a
     * thread that has to park allocates one small queue node (rare with one event loop per core).
     */
    private final ReentrantLock appendLock = new ReentrantLock();
    private final FastThreadLocal<ExcerptAppender> appenders = new FastThreadLocal<>() {
        @Override
        protected ExcerptAppender initialValue() {
            return queue.createAppender();
        }

        @Override
        protected void onRemoval(ExcerptAppender appender) {
            appender.close();
        }
    };

    private final FastThreadLocal<java.nio.ByteBuffer> scratch = new FastThreadLocal<>() {
        @Override
        protected java.nio.ByteBuffer initialValue() {
            return java.nio.ByteBuffer.allocate(IngestRecordCodec.MAX_DEVICE_MESSAGE_BYTES).order(java.nio.ByteOrder.nativeOrder());
        }
    };

    public IngestJournal(Path directory, Durability.Factory durabilityFactory) {
        this(directory, durabilityFactory, null);
    }

    /**
     * @param fileClock decides which daily file an append goes to (tests roll days without waiting); null = wall clock
     */
    public IngestJournal(Path directory, Durability.Factory durabilityFactory, net.openhft.chronicle.core.time.TimeProvider fileClock) {
        this.crashRecoveries = ChronicleCrashRecovery.recover(directory, "ingest");
        SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(directory).rollCycle(RollCycles.FAST_DAILY);
        if (fileClock != null) {
            builder.timeProvider(fileClock);
        }
        this.queue = builder.build();
        this.durability = durabilityFactory.create(queue);
    }

    /** Appends a device message and returns its journal index. */
    @Override
    public long appendDeviceMessage(long receivedMs, long receivedNanoTime, long deviceId, int protocol, DeviceMessage message) {
        ExcerptAppender appender = appenders.get();
        java.nio.ByteBuffer encoded = scratch.get();
        IngestRecordCodec.encodeDeviceMessage(encoded, receivedMs, receivedNanoTime, deviceId, protocol, message);
        long index;
        appendLock.lock();
        try {
            try (DocumentContext dc = appender.writingDocument()) {
                dc.wire().bytes().write(encoded.array(), 0, encoded.position());
            }
            index = appender.lastIndexAppended();
        } finally {
            appendLock.unlock();
        }
        durability.appended(appender);
        appendsSinceOpen.increment();
        return index;
    }

    /** Records that a device's message was refused on validation, so its sequence counts as consumed after a restart too. */
    @Override
    public long appendRefused(long receivedMs, long deviceId, long deviceNumber, int protocol, long sequence, int reason) {
        ExcerptAppender appender = appenders.get();
        long index;
        appendLock.lock();
        try {
            try (DocumentContext dc = appender.writingDocument()) {
                IngestRecordCodec.writeRefused(dc.wire().bytes(), receivedMs, deviceId, deviceNumber, protocol, sequence, reason);
            }
            index = appender.lastIndexAppended();
        } finally {
            appendLock.unlock();
        }
        durability.appended(appender);
        appendsSinceOpen.increment();
        return index;
    }

    /** Appends a session conflict (a second login of a connected device); the core raises a device alert from it. */
    @Override
    public long appendSessionConflict(long receivedMs, long deviceId, long deviceNumber, int protocol, int outcome,
                                      String detail) {
        ExcerptAppender appender = appenders.get();
        long index;
        appendLock.lock();
        try {
            try (DocumentContext dc = appender.writingDocument()) {
                IngestRecordCodec.writeSessionConflict(dc.wire().bytes(), receivedMs, deviceId, deviceNumber, protocol, outcome,
                        detail);
            }
            index = appender.lastIndexAppended();
        } finally {
            appendLock.unlock();
        }
        durability.appended(appender);
        appendsSinceOpen.increment();
        return index;
    }

    /** Appends a clock tick that drives the evaluation core's timers. */
    @Override
    public long appendTick(long timeMs) {
        ExcerptAppender appender = appenders.get();
        long index;
        appendLock.lock();
        try {
            try (DocumentContext dc = appender.writingDocument()) {
                IngestRecordCodec.writeTick(dc.wire().bytes(), timeMs);
            }
            index = appender.lastIndexAppended();
        } finally {
            appendLock.unlock();
        }
        durability.appended(appender);
        appendsSinceOpen.increment();
        return index;
    }

    /** Records appended (by any thread) since this journal was opened. */
    @Override
    public long appendsSinceOpen() {
        return appendsSinceOpen.sum();
    }

    @Override
    public Durability durability() {
        return durability;
    }

    @Override
    public IngestReader createReader() {
        return new IngestReader(queue.createTailer());
    }

    /** Index of the last record appended by any thread, or -1 when the journal is empty. */
    @Override
    public long lastIndex() {
        long last = queue.lastIndex();
        return last == Long.MIN_VALUE ? -1 : last;
    }

    /** Index of the first record still in the journal (older files may have been deleted), or -1 when empty. */
    @Override
    public long firstIndex() {
        long first = queue.firstIndex();
        return first == Long.MAX_VALUE || first == Long.MIN_VALUE ? -1 : first;
    }

    /** Files a crash left half-created that opening this journal moved aside (see {@link ChronicleCrashRecovery}). */
    public int crashRecoveries() {
        return crashRecoveries;
    }

    public ChronicleQueue queue() {
        return queue;
    }

    @Override
    public void close() {
        durability.close();
        queue.close();
    }
}
