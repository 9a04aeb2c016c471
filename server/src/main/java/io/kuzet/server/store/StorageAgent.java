package io.kuzet.server.store;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.server.alert.AlertJournal;
import io.kuzet.server.journal.IngestJournal;
import io.kuzet.server.journal.IngestRecord;
import io.kuzet.server.journal.JournalReader;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.registry.DeviceRecord;
import io.kuzet.server.registry.OrderRecord;
import io.kuzet.server.registry.RegistryHolder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.agrona.collections.Long2LongHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves journaled data into PostgreSQL, exactly once: reads the ingest journal ({@link PositionsSource}) and the alert
 * transitions ({@link AlertsSource}) from the positions stored in the database, writes batches with
 * {@link PositionWriter} / {@link AlertWriter} (rows and stored position in one transaction), and on any failure re-reads from the stored checkpoint after a back-off. Ingestion
 * and alerting never wait for it: a database outage only grows {@code kuzet_storage_lag_entries}.
 *
 * <p>Fixes of devices without an order in force at the fix time are not stored as subject data (counted in
 * {@code kuzet_storage_positions_unassigned_total}; the journal keeps them). Positions linger for fuller batches
 * ({@code storage.lingerMs}, {@link #positionsDue}); alerts are stored on every poll. Runs on its own thread.
 */
public final class StorageAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StorageAgent.class);

    /** Default of {@code storage.lingerMs}: how long fixes may wait in the journal for a fuller batch. */
    public static final int DEFAULT_LINGER_MS = 1000;
    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(5);

    private final PositionsSource source;
    private final AlertsSource alerts;
    private final RegistryHolder registry;
    private final int batchMaxRows;
    private final long lingerNs;
    private final Counter unassigned;
    private final PositionBatch positions;
    private final DeviceEventBatch events;
    private final Long2LongHashMap sequences = DeviceSequences.newBatch();
    private final IngestRecord record = new IngestRecord();
    private final Backoff backoff = new Backoff(100, 10_000);
    private final Thread thread;
    private final LongSupplier clockMs;
    private volatile boolean running = true;
    private volatile long positionsCheckpoint = JournalCheckpoints.NONE;
    private volatile long lastFailureMs;
    private volatile String lastError;
    /** When the lingering positions are written, whatever their number (System.nanoTime). */
    private long positionsDueNs;
    /** Ingest records a full batch takes, from the last batch that held rows (ticks and refusals hold none). */
    private double recordsPerFullBatch;

    /** Storage of the embedded Chronicle journal. */
    public StorageAgent(IngestJournal journal, AlertJournal alertJournal, RegistryHolder registry, PositionWriter positionWriter,
                        AlertWriter alertWriter, int batchMaxRows, MeterRegistry meters) {
        this(new ChroniclePositions(journal, positionWriter), new ChronicleAlerts(alertJournal, alertWriter), registry,
                batchMaxRows, DEFAULT_LINGER_MS, meters, System::currentTimeMillis);
    }

    /**
     * Storage of the positions {@code source} holds (the Chronicle journal or the Kafka topic) and of the alert
     * transitions {@code alerts} holds (this node's alerts journal or the Kafka alerts topic).
     *
     * @param lingerMs how long fixes may wait for a fuller batch after the journal ran dry (see {@link #run})
     * @param clockMs the server's clock, which stamped the journal's receive times (for {@code kuzet_storage_lag_seconds})
     */
    public StorageAgent(PositionsSource source, AlertsSource alerts, RegistryHolder registry, int batchMaxRows,
                        int lingerMs, MeterRegistry meters, LongSupplier clockMs) {
        if (lingerMs < 0) {
            throw new IllegalArgumentException("lingerMs must be >= 0, was " + lingerMs);
        }
        this.lingerNs = TimeUnit.MILLISECONDS.toNanos(lingerMs);
        this.recordsPerFullBatch = batchMaxRows;
        this.positionsDueNs = System.nanoTime();
        this.clockMs = clockMs;
        this.source = source;
        this.alerts = alerts;
        this.registry = registry;
        this.batchMaxRows = batchMaxRows;
        this.positions = new PositionBatch(batchMaxRows + DeviceMessage.MAX_FIXES);
        this.events = new DeviceEventBatch(1024);
        this.unassigned = Counter.builder("kuzet_storage_positions_unassigned")
                .description("fixes of devices without an active order, kept only in the journal").register(meters);
        Gauge.builder("kuzet_storage_lag_entries", this, a -> a.source.lag(a.positionsCheckpoint))
                .tag("journal", "positions").description("journal entries not yet stored in the database").register(meters);
        Gauge.builder("kuzet_storage_lag_entries", this, a -> a.alerts.lag())
                .tag("journal", "alerts").description("journal entries not yet stored in the database").register(meters);
        Gauge.builder("kuzet_storage_lag_seconds", this, a -> a.source.lagSeconds(a.positionsCheckpoint, a.clockMs.getAsLong())).tag("journal", "positions")
                .description("age of the oldest journal entry not yet stored in the database (0 when storage has caught up)")
                .register(meters);
        Gauge.builder("kuzet_storage_lag_bytes", this, a -> a.source.lagBytes(a.positionsCheckpoint)).tag("journal", "positions")
                .description("size of the journal files holding entries not yet stored; journal retention keeps them until "
                        + "storage has them").register(meters);
        this.thread = new Thread(this::run, "kuzet-storage");
        this.thread.setDaemon(true);
    }

    public StorageAgent start() {
        thread.start();
        return this;
    }

    /** Journal index of the last ingest record stored in the database, or -1 (Kafka: the last batch's last record). */
    public long positionsCheckpoint() {
        return positionsCheckpoint;
    }

    /** Index of the last alert of this node's alerts journal stored, or -1 (Kafka: Long.MAX_VALUE, see AlertsSource). */
    public long alertsCheckpoint() {
        return alerts.checkpoint();
    }

    /** Null when storage keeps up, else why /health/ready should say not ready. */
    public String problem() {
        if (lastError != null && System.currentTimeMillis() - lastFailureMs < 60_000) {
            return "storage writes failing: " + lastError;
        }
        return null;
    }

    private void run() {
        JournalReader reader = null;
        while (running) {
            try {
                if (reader == null) {
                    reader = source.openAfterStored();
                    positionsCheckpoint = source.storedIndex();
                }
                int work = alerts.storeNext(1000);
                if (positionsDue(System.nanoTime())) {
                    work += storePositions(reader);
                }
                backoff.reset();
                lastError = null;
                if (work == 0) {
                    LockSupport.parkNanos(POLL_NS);
                }
            } catch (SQLException | RuntimeException e) {
                lastFailureMs = System.currentTimeMillis();
                lastError = e.getMessage();
                long delayMs = backoff.nextDelayMs();
                LOG.warn("storage batch failed ({}); retrying from the stored checkpoint in {} ms", e.getMessage(), delayMs);
                // the database holds the truth about what was stored: re-read from its checkpoints
                if (reader != null) {
                    reader.close();
                    reader = null;
                }
                alerts.reset();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(delayMs));
            }
        }
        if (reader != null) {
            reader.close();
        }
        alerts.close();
        source.close();
    }

    /**
     * Whether to write positions now. After a batch that did not fill (the journal ran dry) the next one lingers for
     * up to {@code storage.lingerMs}, so that a moderate rate is stored in a few large transactions rather than many
     * small ones: PostgreSQL's CPU per row falls as batches grow (docs/performance.md, "CPU per stored fix"). The
     * linger ends early once the journal holds a full batch. Alerts never wait for it: {@link #run} stores them on every 5 ms poll; what waits is the
     * position rows that serve history, reports and evidence exports, at most the linger plus one write.
     */
    private boolean positionsDue(long nowNs) {
        if (nowNs - positionsDueNs >= 0) {
            return true;
        }
        double waiting = source.lag(positionsCheckpoint); // NaN (unknown) compares false: linger to the end
        return waiting >= recordsPerFullBatch;
    }

    private int storePositions(JournalReader reader) throws SQLException {
        positions.clear();
        events.clear();
        sequences.clear();
        long lastIndex = JournalCheckpoints.NONE;
        int records = 0;
        while (positions.size() < batchMaxRows && reader.next(record)) {
            records++;
            lastIndex = record.index;
            if (record.type == IngestRecord.TYPE_TICK || record.type == IngestRecord.TYPE_UNKNOWN) {
                continue;   // read all the same: the stored position moves past it
            }
            noteSequence(record);
            if (record.type != IngestRecord.TYPE_DEVICE_MESSAGE) {
                continue; // refused messages hold no subject data, only their consumed sequence
            }
            addRows(record);
        }
        if (records == 0) {
            return 0;
        }
        source.store(positions, events, sequences, lastIndex);
        positionsCheckpoint = lastIndex;
        if (positions.size() < batchMaxRows) {
            positionsDueNs = System.nanoTime() + lingerNs; // the journal ran dry: gather more before the next one
        }
        if (positions.size() > 0) {
            recordsPerFullBatch = (double) records * batchMaxRows / positions.size();
        }
        return records;
    }

    /** Sequenced (Kuzet) messages and refusals: the device's stored sequence, whether or not rows are stored for it. */
    private void noteSequence(IngestRecord r) {
        long sequence = r.message.sequence;
        if (r.protocol == Protocol.KUZET.code() && sequence > sequences.get(r.deviceId)) {
            sequences.put(r.deviceId, sequence);
        }
    }

    private void addRows(IngestRecord r) {
        DeviceRecord device = registry.device(r.deviceId);
        DeviceMessage msg = r.message;
        for (int i = 0; i < msg.fixCount(); i++) {
            Fix f = msg.fix(i);
            // a clock-faulty fix is kept as evidence under the order in force when it was received, not at its claimed time
            long orderAtMs = f.isClockFault() ? r.timeMs : f.timeMs;
            OrderRecord order = device == null || device.subjectId() == 0 ? null : registry.activeOrder(device.subjectId(), orderAtMs);
            if (order == null) {
                unassigned.increment();
                continue;
            }
            positions.add(r.deviceId, device.subjectId(), order.id(), f.timeMs, r.timeMs, f.latE7, f.lonE7, f.altitudeM,
                    f.speedKmhX10, f.headingDeg, f.accuracyDm, f.hdopX10, f.satellites, f.flags, r.index);
            positions.assurance(positions.size() - 1, PositionAssurance.of(r.protocol, msg.frameAuthenticated));
        }
        for (int i = 0; i < msg.eventCount(); i++) {
            long t = msg.eventTimeMs(i);
            OrderRecord order = device == null || device.subjectId() == 0 ? null : registry.activeOrder(device.subjectId(), t);
            if (order != null) {
                events.add(r.deviceId, device.subjectId(), order.id(), t, r.timeMs, msg.eventType(i).code(), msg.eventValue(i), r.index);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
