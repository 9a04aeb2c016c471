package io.kuzet.server.journal.kafka;

import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.ingest.DeviceLedger;
import io.kuzet.server.journal.IngestRecord;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's de-duplication ledger current with every partition of the ingest topic, whoever evaluates it: a
 * device may connect to any node, and the node must know the sequences stored through the others (docs/scale-out.md).
 * Since the evaluation core reads only the partitions its node owns, this is a second reader, assigned every partition
 * from its start, that only {@linkplain DeviceLedger#observe observes} records (no evaluation). {@link #catchUp} reads
 * the retained topic before the device ports open; {@link #start} then follows it on its own thread.
 */
public final class KafkaLedgerObserver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaLedgerObserver.class);

    private final KafkaJournalReader reader;
    private final DeviceLedger ledger;
    private final IngestRecord record = new IngestRecord();
    private java.util.function.Consumer<IngestRecord> alsoTo = r -> { };
    private volatile boolean running;
    private Thread thread;

    public KafkaLedgerObserver(ServerConfig.Kafka settings, DeviceLedger ledger) {
        this.reader = new KafkaJournalReader(settings, "kuzet-ledger");
        this.ledger = ledger;
    }

    /**
     * Every record read is also given to {@code each}, on the observer's thread (the core's victim-unit positions, which
     * must come from every partition). Call before {@link #catchUp}.
     */
    public KafkaLedgerObserver alsoTo(java.util.function.Consumer<IngestRecord> each) {
        this.alsoTo = each;
        return this;
    }

    /** Reads every partition up to its end offset as of now; returns the records read. */
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
        LOG.info("de-duplication ledger: {} records of every partition of {} read", read, reader.topic());
        return read;
    }

    /** Follows the topic on its own thread until {@link #close}. */
    public void start() {
        running = true;
        thread = new Thread(() -> {
            reader.handOverToCurrentThread();
            while (running) {
                try {
                    if (!reader.next(record)) {
                        LockSupport.parkNanos(1_000_000);
                        continue;
                    }
                    ledger.observe(record);
                    alsoTo.accept(record);
                } catch (RuntimeException e) {
                    LOG.error("ledger observer failed on a record; continuing", e);
                }
            }
        }, "kuzet-ledger-observer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reader.handOverToCurrentThread();
        }
        reader.close();
    }
}
