package io.kuzet.server.journal.kafka;

import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.ingest.DeviceLedger;
import io.kuzet.server.ingest.LedgerCatchUp;
import io.kuzet.server.journal.IngestRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's de-duplication ledger up to date with what every node appends to the ingest topic, and makes a
 * login wait until it is (docs/scale-out.md, "The reconnect window"). Its own consumer reads every partition, whatever
 * partitions this node's evaluation owns (the core reads only the partitions its node owns), from the start of the
 * retained topic, and {@linkplain DeviceLedger#observe observes} each record: {@link #catchUp} reads up to the end
 * offsets as of the node's start before the device ports open, {@link #start} then follows the topic.
 *
 * <p>{@link #whenCaughtUp}: the device's partition's end offset is asked once (one {@code listOffsets} call for every
 * login that arrived since the last one) and the login is answered once this consumer has read past it: every record of
 * the device that any node had appended, and Kafka acknowledged, before the login is then in the ledger, so the
 * device's retransmission of it is recognised. Not reached within {@code kafka.loginCatchUpMs}: answered false and the
 * login refused (the device retries). Runs on its own thread; the callbacks come from it.
 */
public final class KafkaLedgerFeed implements LedgerCatchUp, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaLedgerFeed.class);
    private static final int BATCH = 4096;

    private final KafkaJournalReader reader;
    private final Admin admin;
    private final DeviceLedger ledger;
    private final String topic;
    private final int partitions;
    private final long boundNanos;
    private final ConcurrentLinkedQueue<Waiter> arrivals = new ConcurrentLinkedQueue<>();
    private final List<Waiter> waiting = new ArrayList<>();   // feed thread only
    private final IngestRecord record = new IngestRecord();
    private java.util.function.Consumer<IngestRecord> alsoTo = r -> { };
    private final Thread thread;
    private volatile boolean running = true;
    private long lastWarningNanos;

    /** A consumer of every partition from the start of the retained topic; {@link #catchUp}, then {@link #start}. */
    public KafkaLedgerFeed(ServerConfig.Kafka settings, DeviceLedger ledger) {
        this.ledger = ledger;
        this.topic = settings.topic;
        this.boundNanos = TimeUnit.MILLISECONDS.toNanos(settings.loginCatchUpMs);
        this.reader = new KafkaJournalReader(settings, "kuzet-ledger-feed");
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "kuzet-ledger-feed"));
        this.partitions = reader.partitionCount();
        this.thread = new Thread(this::run, "kuzet-ledger-feed");
        this.thread.setDaemon(true);
    }

    /**
     * Every record read is also given to {@code each}, on the feed's thread (the core's victim-unit positions, which
     * must come from every partition). Call before {@link #catchUp}.
     */
    public KafkaLedgerFeed alsoTo(java.util.function.Consumer<IngestRecord> each) {
        this.alsoTo = each;
        return this;
    }

    /** Reads every partition up to its end offset as of now into the ledger (before the device ports open). */
    public long catchUp() {
        reader.markReplayEnd();
        long read = 0;
        while (!reader.replayDone()) {
            while (reader.next(record)) {
                ledger.observe(record);
                alsoTo.accept(record);
                read++;
            }
        }
        LOG.info("de-duplication ledger: {} records of every partition of {} read", read, topic);
        return read;
    }

    public KafkaLedgerFeed start() {
        thread.start();
        return this;
    }

    @Override
    public void whenCaughtUp(long deviceId, Done done) {
        if (!running) {
            done.caughtUp(false);
            return;
        }
        arrivals.add(new Waiter(DevicePartitions.of(deviceId, partitions), System.nanoTime() + boundNanos, done));
    }

    private void run() {
        reader.handOverToCurrentThread();
        while (running) {
            try {
                admit();
                int read = 0;
                while (read < BATCH && reader.next(record)) {
                    ledger.observe(record);
                    alsoTo.accept(record);
                    read++;
                }
                settle(System.nanoTime());
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                warn("the ledger feed of Kafka topic {} failed ({}); retrying", e);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
        for (Waiter w : waiting) {
            answer(w, false);
        }
        waiting.clear();
    }

    /** Takes the logins that arrived and asks, in one call, the end offsets of the partitions still without a target. */
    private void admit() {
        Waiter arrived;
        while ((arrived = arrivals.poll()) != null) {
            waiting.add(arrived);
        }
        List<Integer> ask = new ArrayList<>();
        long earliestDeadline = Long.MAX_VALUE;
        for (Waiter w : waiting) {
            if (w.target < 0 && !ask.contains(w.partition)) {
                ask.add(w.partition);
                earliestDeadline = Math.min(earliestDeadline, w.deadlineNanos);
            }
        }
        if (ask.isEmpty()) {
            return;
        }
        long timeoutMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(earliestDeadline - System.nanoTime()));
        try {
            Map<Integer, Long> ends = endOffsets(ask, timeoutMs);
            for (Waiter w : waiting) {
                Long end = ends.get(w.partition);
                if (w.target < 0 && end != null) {
                    w.target = end;
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            warn("cannot read the end offsets of Kafka topic {} for waiting logins ({}); asking again", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Answers the logins whose partition was read up to its target, and refuses those past their deadline. */
    private void settle(long nowNanos) {
        long[] next = reader.nextOffsets();
        for (Iterator<Waiter> it = waiting.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (w.target >= 0 && next[w.partition] >= w.target) {
                it.remove();
                answer(w, true);
            } else if (nowNanos - w.deadlineNanos >= 0) {
                it.remove();
                LOG.warn("a login waited {} ms for partition {} of Kafka topic {} to be read up to offset {} (read up to {}); refused",
                        TimeUnit.NANOSECONDS.toMillis(boundNanos), w.partition, topic, w.target, next[w.partition]);
                answer(w, false);
            }
        }
    }

    private Map<Integer, Long> endOffsets(List<Integer> partitionNumbers, long timeoutMs)
            throws ExecutionException, TimeoutException, InterruptedException {
        Map<TopicPartition, OffsetSpec> query = new HashMap<>();
        for (int p : partitionNumbers) {
            query.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> found =
                admin.listOffsets(query).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        Map<Integer, Long> ends = new HashMap<>();
        found.forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
        return ends;
    }

    private static void answer(Waiter w, boolean reached) {
        try {
            w.done.caughtUp(reached);
        } catch (RuntimeException e) {
            LOG.warn("a login's continuation failed", e);
        }
    }

    private void warn(String message, Exception e) {
        long now = System.nanoTime();
        if (now - lastWarningNanos > TimeUnit.SECONDS.toNanos(10) || lastWarningNanos == 0) {
            lastWarningNanos = now;
            LOG.warn(message, topic, e.toString());
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null && thread.isAlive()) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Waiter w;
        while ((w = arrivals.poll()) != null) {
            answer(w, false);
        }
        reader.close();
        admin.close(java.time.Duration.ofSeconds(5));
    }

    /** A login waiting for {@code partition} to be read up to {@code target} (-1 until its end offset is known). */
    private static final class Waiter {
        final int partition;
        final long deadlineNanos;
        final Done done;
        long target = -1;

        Waiter(int partition, long deadlineNanos, Done done) {
            this.partition = partition;
            this.deadlineNanos = deadlineNanos;
            this.done = done;
        }
    }
}
