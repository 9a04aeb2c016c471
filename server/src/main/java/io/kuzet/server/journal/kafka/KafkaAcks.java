package io.kuzet.server.journal.kafka;

import io.kuzet.server.journal.Durability;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import net.openhft.chronicle.queue.ExcerptAppender;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durability of the Kafka journal: an append's ticket is durable once the broker acknowledged it ({@code acks=all}:
 * every in-sync replica has it, at least {@code min.insync.replicas}). Completions arrive on the producer's I/O thread,
 * in order per partition but not across partitions, so the acked tickets are kept as a watermark (every ticket up to
 * it is acked) plus the few acked beyond it; a re-ack of an old ticket (a duplicate's stored copy) is then immediate.
 *
 * <p>Fail-stop like {@link io.kuzet.server.journal.FsyncGroupCommit}: once an append fails (the delivery timeout
 * passed, the topic refused it), no action runs again and the failure listener is told once; the node exits and a
 * restart re-reads what Kafka holds. Thread-safe; one small node per pending ack.
 */
public final class KafkaAcks implements Durability {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaAcks.class);

    private final Consumer<Throwable> failureListener;
    private final LongHashSet ackedBeyond = new LongHashSet();
    private final Long2ObjectHashMap<List<Pending>> pending = new Long2ObjectHashMap<>();
    private long watermark = -1;
    private volatile Throwable failure;
    private volatile boolean closing;

    public KafkaAcks(Consumer<Throwable> failureListener) {
        this.failureListener = failureListener;
    }

    /** The producer's completion of {@code ticket}: acked when {@code error} is null. Producer I/O thread. */
    void completed(long ticket, Exception error) {
        if (error != null) {
            fail(ticket, error);
            return;
        }
        List<Pending> ready;
        synchronized (this) {
            if (failure != null) {
                return;
            }
            if (ticket == watermark + 1) {
                watermark = ticket;
                while (ackedBeyond.remove(watermark + 1)) {
                    watermark++;
                }
            } else {
                ackedBeyond.add(ticket);
            }
            ready = pending.remove(ticket);
        }
        if (ready != null) {
            for (Pending p : ready) {
                run(ticket, p.action);
            }
        }
    }

    private void fail(long ticket, Exception error) {
        List<Pending> discarded = new ArrayList<>();
        synchronized (this) {
            if (failure != null) {
                return;
            }
            failure = error;
            pending.values().forEach(discarded::addAll);
            pending.clear();
        }
        for (Pending p : discarded) {
            if (p.discarded != null) {
                p.discarded.run();
            }
        }
        if (closing) {
            LOG.warn("the Kafka journal closed with {} appends not acknowledged; their devices were not acked and resend them",
                    discarded.size());
            return;
        }
        LOG.error("Kafka did not acknowledge journal append {} ({}); {} acks withheld, no ack will be sent by this process again",
                ticket, error.toString(), discarded.size());
        failureListener.accept(error);
    }

    @Override
    public void appended(ExcerptAppender appender) {
        // not a Chronicle journal
    }

    @Override
    public void whenDurable(long index, Runnable action, Runnable discarded) {
        boolean now;
        synchronized (this) {
            if (failure != null) {
                now = false;
            } else if (index <= watermark || ackedBeyond.contains(index)) {
                now = true;
            } else {
                pending.computeIfAbsent(index, i -> new ArrayList<>(1)).add(new Pending(action, discarded));
                return;
            }
        }
        if (now) {
            run(index, action);
        } else if (discarded != null) {
            discarded.run();
        }
    }

    private static void run(long ticket, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("ack after the Kafka append {} failed", ticket, e);
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

    /** Every ticket up to this one is acknowledged. */
    public synchronized long watermark() {
        return watermark;
    }

    /** The journal is shutting down: appends failed from now on are discarded without a fail-stop. */
    void closing() {
        closing = true;
    }

    @Override
    public void close() {
        closing = true;
    }

    private record Pending(Runnable action, Runnable discarded) {
    }
}
