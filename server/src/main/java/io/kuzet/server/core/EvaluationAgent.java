package io.kuzet.server.core;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.IngestJournal;
import io.kuzet.server.journal.IngestReader;
import io.kuzet.server.journal.IngestRecord;
import io.kuzet.server.registry.DeviceRecord;
import io.kuzet.server.registry.DeviceRole;
import io.kuzet.server.registry.OrderRecord;
import java.util.concurrent.locks.LockSupport;
import org.agrona.collections.Long2ObjectHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluation core: the single writer of all per-device state. It tails the ingest journal and turns records
 * into alerts — location rules via {@link ZoneStage}, device conditions and absence timers via
 * {@link DeviceConditionStage}. Every decision uses journal time (receive time or tick time), never the wall
 * clock, so replaying the journal after a restart rebuilds the same state and re-derives the same alerts, which
 * the alerts journal then recognises as already emitted.
 *
 * <p>Agent style: {@link #doWork(int)} processes up to a limit of records and returns how many; {@link #start()} runs
 * it on its own thread. Not thread-safe apart from {@link #lagEntries()}.
 */
public final class EvaluationAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EvaluationAgent.class);

    private final IngestJournal journal;
    private final IngestReader reader;
    private final CoreDirectory directory;
    private final ServerConfig.Core config;
    private final DeviceConditionStage conditions;
    private final ZoneStage zones;
    private final AlertEmitter emitter;
    private final CoreMetrics metrics;
    private final IngestRecord record = new IngestRecord();
    private final Long2ObjectHashMap<CoreDevice> devices = new Long2ObjectHashMap<>();
    private long directoryVersion = Long.MIN_VALUE;
    private long replayEndIndex = -1;
    private volatile long processedLive;
    private volatile long lastProcessedIndex = -1;
    private volatile boolean running;
    private Thread thread;

    public EvaluationAgent(IngestJournal journal, CoreDirectory directory, ServerConfig.Core config, AlertEmitter emitter,
                           ZoneStageFactory zoneStageFactory, CoreMetrics metrics) {
        this.journal = journal;
        this.reader = journal.createReader().startAfter(-1);
        this.directory = directory;
        this.config = config;
        this.emitter = emitter;
        this.metrics = metrics;
        AlertBuilder alerts = new AlertBuilder(emitter);
        this.conditions = new DeviceConditionStage(config, alerts);
        this.zones = zoneStageFactory.create(alerts, config);
    }

    /** Creates the location-rule stage; lets tests and benchmarks choose the implementation. */
    public interface ZoneStageFactory {
        ZoneStage create(AlertBuilder alerts, ServerConfig.Core config);
    }

    /**
     * Replays everything already in the journal, rebuilding state without re-emitting alerts that the alerts
     * journal already holds. Call before the device ports open. Returns the number of records replayed.
     */
    public long replay() {
        replayEndIndex = journal.lastIndex();
        emitter.replaying(true);
        long replayed = 0;
        try {
            while (lastProcessedIndex < replayEndIndex) {
                int n = doWork(4096);
                if (n == 0) {
                    break;
                }
                replayed += n;
            }
        } finally {
            emitter.replaying(false);
        }
        LOG.info("core replayed {} journal records", replayed);
        return replayed;
    }

    /** Processes up to {@code limit} records; returns how many were processed. */
    public int doWork(int limit) {
        int done = 0;
        while (done < limit && reader.next(record)) {
            long start = System.nanoTime();
            process(record);
            metrics.evaluated(System.nanoTime() - start);
            lastProcessedIndex = record.index;
            if (record.index > replayEndIndex) {
                processedLive++;
            }
            done++;
        }
        return done;
    }

    /** Journal records appended since start and not yet evaluated. */
    public long lagEntries() {
        return Math.max(0, journal.appendsSinceOpen() - processedLive);
    }

    /** Index of the last record evaluated. */
    public long lastProcessedIndex() {
        return lastProcessedIndex;
    }

    private void process(IngestRecord r) {
        refreshDirectory();
        if (r.isTick()) {
            onTick(r.timeMs);
            return;
        }
        DeviceRecord device = directory.device(r.deviceId);
        if (device == null) {
            return; // removed from the registry after it was journaled; the journal still holds the data
        }
        DeviceMessage msg = r.message;
        if (device.role() == DeviceRole.VICTIM_UNIT) {
            for (int i = 0; i < msg.fixCount(); i++) {
                if (msg.fix(i).isValid()) {
                    zones.onVictimFix(device, msg.fix(i));
                }
            }
            return;
        }
        if (device.subjectId() == 0) {
            return;
        }
        OrderRecord order = directory.activeOrder(device.subjectId(), r.timeMs);
        if (order == null) {
            return; // no order in force: nothing to evaluate, nothing to alert
        }
        CoreDevice d = state(device.id());
        boolean hasValidFix = false;
        boolean late = false;
        // One meaning of late (docs/operations.md): older than the device's newest fix, i.e. out of order. How long a
        // fix took to arrive is a separate, stated delay, never "late".
        for (int i = 0; i < msg.fixCount(); i++) {
            Fix fix = msg.fix(i);
            hasValidFix |= fix.isValid();
            late |= fix.isValid() && fix.timeMs < d.newestFixTimeMs;
        }
        conditions.onMessage(d, device, order, msg, r.timeMs, hasValidFix, late, r.receivedNanoTime);
        for (int i = 0; i < msg.fixCount(); i++) {
            Fix fix = msg.fix(i);
            if (fix.isValid()) {
                boolean fixLate = fix.timeMs < d.newestFixTimeMs;
                zones.onFix(d, device, order, fix, r.timeMs, fixLate, r.receivedNanoTime);
                if (fix.timeMs > d.newestFixTimeMs) {
                    d.newestFixTimeMs = fix.timeMs;
                }
            }
        }
    }

    private void onTick(long nowMs) {
        for (DeviceRecord device : directory.assignedDevices()) {
            if (device.role() != DeviceRole.BRACELET) {
                continue;
            }
            OrderRecord order = directory.activeOrder(device.subjectId(), nowMs);
            CoreDevice d = state(device.id());
            if (order == null) {
                d.monitoringSinceMs = -1; // absence timers restart when an order comes into force
                continue;
            }
            conditions.onTick(d, device, order, nowMs);
            zones.onTick(d, device, order, nowMs);
        }
    }

    private void refreshDirectory() {
        long version = directory.version();
        if (version != directoryVersion) {
            directoryVersion = version;
            zones.registryChanged(directory);
        }
    }

    private CoreDevice state(long deviceId) {
        CoreDevice d = devices.get(deviceId);
        if (d == null) {
            d = new CoreDevice(deviceId);
            devices.put(deviceId, d);
        }
        return d;
    }

    /** Runs the agent on its own thread until {@link #close()}. */
    public void start() {
        running = true;
        thread = new Thread(() -> {
            reader.handOverToCurrentThread();
            emitter.handOverToCurrentThread();
            int idle = 0;
            while (running) {
                int work;
                try {
                    work = doWork(1024);
                } catch (RuntimeException e) {
                    // one bad record must not stall the core: log it and move on
                    LOG.error("core failed on journal index {}; skipping it", record.index, e);
                    work = 1;
                }
                if (work > 0) {
                    idle = 0;
                } else if (++idle < 100) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(50_000);
                }
            }
        }, "kuzet-core");
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
        }
        reader.close();
    }
}
