package io.kuzet.server.core;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.IngestRecord;
import io.kuzet.server.journal.Journal;
import io.kuzet.server.journal.JournalReader;
import io.kuzet.server.journal.kafka.DevicePartitions;
import io.kuzet.server.journal.kafka.KafkaAlertsTopic;
import io.kuzet.server.journal.kafka.KafkaCoreSnapshots;
import io.kuzet.server.journal.kafka.KafkaEvaluationReader;
import io.kuzet.server.registry.DeviceRecord;
import io.kuzet.server.registry.DeviceRole;
import io.kuzet.server.registry.OrderRecord;
import io.kuzet.server.alert.AlertType;
import io.kuzet.server.command.DeviceCommandRequests;
import io.kuzet.server.ingest.LedgerFollower;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongPredicate;
import java.util.function.ToLongFunction;
import org.agrona.collections.LongArrayList;
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
    /** How long a snapshot waits for the supervision commands asked before it to be stored (database slow or down). */
    private static final java.time.Duration COMMANDS_STORED_TIMEOUT = java.time.Duration.ofSeconds(10);

    private final Journal journal;
    private final JournalReader reader;
    private final CoreDirectory directory;
    private final ServerConfig.Core config;
    private final DeviceConditionStage conditions;
    private final ZoneStageFactory zoneStageFactory;
    private final AlertBuilder alertBuilder;
    private Supervision supervision;
    private final PursuitIntervals pursuitIntervals = new PursuitIntervals();
    private ZoneStage zones;
    private final LedgerFollower ledger = new LedgerFollower();
    private SnapshotStore snapshots;
    private DeviceCommandRequests commandRequests = DeviceCommandRequests.NONE;
    private ExecutorService snapshotWriter;
    private long nextSnapshotAtMs = Long.MIN_VALUE;
    private boolean replaying;
    private long restoredFromIndex = -1;
    private volatile long lastSnapshotIndex = -1;
    private final AlertEmitter emitter;
    private final CoreMetrics metrics;
    private final IngestRecord record = new IngestRecord();
    private final Long2ObjectHashMap<CoreDevice> devices = new Long2ObjectHashMap<>();
    private long directoryVersion = Long.MIN_VALUE;
    private volatile long processedLive;
    private volatile long lastProcessedIndex = -1;
    private volatile boolean running;
    private Thread thread;
    private PartitionOwnership ownership;   // Kafka evaluation group: the partitions this node evaluates
    private VictimFixInbox victimFixes;      // Kafka evaluation group: victim units of every partition
    private final VictimFixInbox.Sink victimSink =
            (victim, timeMs, lat, lon, accuracy) -> zones.onVictimPosition(victim, timeMs, lat, lon, accuracy);

    public EvaluationAgent(Journal journal, CoreDirectory directory, ServerConfig.Core config, AlertEmitter emitter,
                           ZoneStageFactory zoneStageFactory, CoreMetrics metrics) {
        this(journal, journal.createReader().startAfter(-1), directory, config, emitter, zoneStageFactory, metrics);
    }

    /** A core reading {@code reader} (e.g. the Kafka evaluation group's consumer) instead of a reader of the whole journal. */
    public EvaluationAgent(Journal journal, JournalReader reader, CoreDirectory directory, ServerConfig.Core config,
                           AlertEmitter emitter, ZoneStageFactory zoneStageFactory, CoreMetrics metrics) {
        this.journal = journal;
        this.reader = reader;
        this.directory = directory;
        this.config = config;
        this.emitter = emitter;
        this.metrics = metrics;
        this.alertBuilder = new AlertBuilder(emitter);
        this.conditions = new DeviceConditionStage(config, alertBuilder);
        this.zoneStageFactory = zoneStageFactory;
        this.zones = zoneStageFactory.create(alertBuilder, config);
    }

    /**
     * Keeps snapshots of the core's state in {@code directory} (every {@code snapshotIntervalS} of journal time,
     * after a replay and at close); {@link #replay} then starts from the newest readable one. Call before replay.
     */
    public EvaluationAgent withSnapshots(Path directory) {
        if (config.snapshotIntervalS > 0) {
            snapshots = new SnapshotStore(directory, config.snapshotsKept);
            snapshotWriter = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "kuzet-snapshot");
                t.setDaemon(true);
                return t;
            });
        }
        return this;
    }

    /**
     * Sends adaptive-supervision commands (pursuit, warnings, reminders to charge) to {@code commands}, the command
     * service's outbox; without this call (or with {@link DeviceCommandRequests#NONE}) the core asks for nothing.
     * Call before {@link #replay}: the replay asks again for what it re-decides, with the same de-duplication keys.
     */
    public EvaluationAgent withCommands(DeviceCommandRequests commands) {
        this.commandRequests = commands;
        supervision = new Supervision(config, commands, devices, pursuitIntervals);
        alertBuilder.supervision(supervision);
        return this;
    }

    /** Devices under pursuit and their interval, for the interval a login tells the device (thread-safe). */
    public PursuitIntervals pursuitIntervals() {
        return pursuitIntervals;
    }

    /**
     * Kafka journal with several nodes: this core evaluates only the ingest partitions the evaluation group gives its
     * node. A partition it gains is restored from its newest snapshot and replayed from there, with the transitions the
     * previous owner put on the alerts topic recognised and not emitted again; a partition it hands over leaves a snapshot
     * and is dropped. Every new transition goes to the alerts topic. The reader must be the one this core was built with.
     * Call before {@link #replay}, which then waits for the first assignment (docs/scale-out.md).
     */
    public EvaluationAgent ownPartitions(KafkaEvaluationReader groupReader, KafkaAlertsTopic alerts, KafkaCoreSnapshots store) {
        if (groupReader != reader) {
            throw new IllegalArgumentException("the evaluation group's reader must be the one the core reads");
        }
        metrics.partitioned(groupReader.partitionCount());
        emitter.sendTo(alerts::send);
        alerts.emitOnlyFor(groupReader::owns);   // core thread, as the sends
        snapshotWriter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "kuzet-snapshot");
            t.setDaemon(true);
            return t;
        });
        ownership = new PartitionOwnership(this, groupReader, alerts, store, snapshotWriter);
        victimFixes = new VictimFixInbox(directory);
        groupReader.join(ownership);
        return this;
    }

    /**
     * Kafka evaluation group: where a reader of every partition (the ledger observer) puts the records it reads, so the
     * proximity rules of the offenders evaluated here know where every victim unit is, whichever node evaluates the
     * unit's partition (docs/scale-out.md). Null without a group: the core reads every record itself.
     */
    public VictimFixInbox victimFixesFromEveryPartition() {
        return victimFixes;
    }

    /** Kafka evaluation group: the ingest partitions this core evaluates now (any thread); null without a group. */
    public int[] ownedPartitions() {
        return ownership == null ? null : ((KafkaEvaluationReader) reader).ownedPartitions();
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
        if (ownership != null) {
            return replayOwnedPartitions();
        }
        reader.markReplayEnd();
        emitter.replaying(true);
        replaying = true;
        long replayed = 0;
        try {
            restoredFromIndex = restoreNewestSnapshot();
            while (!reader.replayDone()) {
                replayed += doWork(4096);
            }
        } finally {
            emitter.replaying(false);
            emitter.endReplay();
            replaying = false;
        }
        LOG.info("core replayed {} journal records{}", replayed,
                restoredFromIndex >= 0 ? " after its snapshot at journal index " + restoredFromIndex : " (no snapshot)");
        if (snapshots != null && replayed > 0) {
            snapshot();
        }
        return replayed;
    }

    /** Evaluation group: joins it, restores and replays the partitions of the first assignment, up to their end offsets. */
    private long replayOwnedPartitions() {
        replaying = true;
        long replayed = 0;
        try {
            reader.markReplayEnd();   // the first assignment: each partition is restored and positioned in there
            while (!reader.replayDone()) {
                replayed += doWork(4096);
            }
        } finally {
            emitter.replaying(false);
            emitter.endReplay();
            replaying = false;
        }
        LOG.info("core replayed {} records of the partitions it owns", replayed);
        return replayed;
    }

    /** Journal index of the snapshot the last {@link #replay} started from, or -1 when it replayed from the start. */
    public long restoredFromIndex() {
        return restoredFromIndex;
    }

    /** Journal index of the newest snapshot written by this agent, or -1 (journal retention keeps what follows it). */
    public long lastSnapshotIndex() {
        return lastSnapshotIndex;
    }

    /** The de-duplication ledger as of the last record evaluated; read it only while the core thread is not running. */
    public LedgerFollower ledger() {
        return ledger;
    }

    /**
     * Takes a snapshot of the current state on the calling (owner) thread and writes it on the snapshot thread, once
     * the journal up to its index is durable. The future completes with the file, or exceptionally.
     */
    public CompletableFuture<Path> snapshot() {
        CompletableFuture<Path> written = new CompletableFuture<>();
        if (snapshots == null) {
            written.completeExceptionally(new IllegalStateException("snapshots are off"));
            return written;
        }
        long index = lastProcessedIndex;
        byte[] body;
        try {
            body = encodeSnapshot(index);
        } catch (IOException | RuntimeException e) {
            LOG.error("could not take a core snapshot at journal index {}", index, e);
            written.completeExceptionally(e);
            return written;
        }
        Runnable write = () -> snapshotWriter.execute(() -> {
            try {
                if (!commandRequests.awaitStored(COMMANDS_STORED_TIMEOUT)) {
                    // a crash now would lose requests the restored core would not make again: keep the older snapshot
                    throw new IllegalStateException("supervision commands asked before it are not stored yet");
                }
                Path file = snapshots.write(index, body);
                lastSnapshotIndex = Math.max(lastSnapshotIndex, index);
                LOG.info("core snapshot at journal index {}: {} bytes, {} devices", index, body.length, devices.size());
                written.complete(file);
            } catch (IOException | RuntimeException e) {
                LOG.error("could not write the core snapshot at journal index {}; the previous one stays in use", index, e);
                written.completeExceptionally(e);
            }
        });
        if (index < 0) {
            write.run();
        } else {
            journal.durability().whenDurable(index, write); // never a snapshot of state the journal could still lose
        }
        return written;
    }

    private byte[] encodeSnapshot(long index) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + devices.size() * 256);
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeLong(index);
        out.writeLong(emitter.alertJournalLastIndex());
        out.writeLong(nextSnapshotAtMs);
        writeState(out, id -> true, metrics::open);
        ledger.writeTo(out);
        out.flush();
        return bytes.toByteArray();
    }

    /** Open alerts per type, then the device and rule state of the devices {@code included} (a snapshot's body). */
    private void writeState(DataOutputStream out, LongPredicate included, ToLongFunction<AlertType> open) throws IOException {
        AlertType[] types = AlertType.values();
        out.writeInt(types.length);
        for (AlertType type : types) {
            out.writeUTF(type.name());
            out.writeLong(open.applyAsLong(type));
        }
        String[] names = CoreDevice.FIELDS.names();
        out.writeInt(names.length);
        for (String name : names) {
            out.writeUTF(name);
        }
        zones.saveShared(out);
        long[] values = new long[names.length];
        int count = 0;
        for (CoreDevice d : devices.values()) {
            count += included.test(d.deviceId) ? 1 : 0;
        }
        out.writeInt(count);
        for (CoreDevice d : devices.values()) {
            if (!included.test(d.deviceId)) {
                continue;
            }
            out.writeLong(d.deviceId);
            CoreDevice.FIELDS.save(d, values);
            for (long v : values) {
                out.writeLong(v);
            }
            zones.saveDevice(d, out);
        }
    }

    /** The state of partition {@code p}'s devices, for its snapshot on the snapshots topic. Core thread. */
    byte[] encodePartition(int p) throws IOException {
        int partitions = ownership.partitions();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        DataOutputStream out = new DataOutputStream(bytes);
        writeState(out, id -> DevicePartitions.of(id, partitions) == p, type -> metrics.openIn(p, type));
        out.flush();
        return bytes.toByteArray();
    }

    /** Loads what {@link #encodePartition} wrote, beside the partitions this core already holds. Core thread. */
    void restorePartition(int p, byte[] state) throws IOException {
        refreshDirectory();
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(state));
        readState(in, (type, open) -> metrics.restoreOpenIn(p, type, open));
        if (in.available() != 0) {
            throw new IOException(in.available() + " bytes left over after the snapshot of partition " + p);
        }
        if (supervision != null) {
            supervision.restored();
        }
    }

    /** Forgets partition {@code p}'s devices (handed to another node, or never restored). Core thread. */
    void dropPartition(int p) {
        int partitions = ownership.partitions();
        LongArrayList dropped = new LongArrayList();
        for (CoreDevice d : devices.values()) {
            if (DevicePartitions.of(d.deviceId, partitions) == p) {
                dropped.addLong(d.deviceId);
            }
        }
        for (int i = 0; i < dropped.size(); i++) {
            devices.remove(dropped.getLong(i));
            pursuitIntervals.end(dropped.getLong(i));
        }
        metrics.dropPartition(p);
    }

    /** A transition the previous owner of a partition emitted: not emitted again when re-derived. Core thread. */
    void recognise(io.kuzet.server.alert.Alert alert) {
        emitter.recognise(alert);
    }

    /** Loads the newest snapshot that is readable and fits the journal; returns its index, or -1 (full replay). */
    private long restoreNewestSnapshot() {
        if (snapshots == null) {
            emitter.rememberFrom(-1);
            return -1;
        }
        List<Path> files;
        try {
            files = snapshots.newestFirst();
        } catch (IOException e) {
            LOG.error("cannot list core snapshots in {}; replaying the whole journal", snapshots.directory(), e);
            files = List.of();
        }
        refreshDirectory();
        for (Path file : files) {
            try {
                DataInputStream in = new DataInputStream(new ByteArrayInputStream(SnapshotStore.read(file)));
                long index = in.readLong();
                if (!reader.startAfterExactly(index)) {
                    long first = journal.firstIndex();
                    if (first < 0 || first <= index) {
                        LOG.warn("core snapshot {} is at journal index {}, which this journal does not hold (last {}); trying an older one",
                                file, index, journal.lastIndex());
                        continue;
                    }
                    reader.startAfter(-1);   // the snapshot is older than everything retained: replay all that is left
                    LOG.warn("core snapshot {} at journal index {} predates the oldest retained record {}; replaying from there",
                            file, index, first);
                }
                decodeSnapshot(in);
                lastProcessedIndex = index;
                lastSnapshotIndex = index;
                LOG.info("core restored from snapshot {} ({} devices)", file, devices.size());
                return index;
            } catch (IOException | RuntimeException e) {
                LOG.error("core snapshot {} is unreadable ({}); falling back to an older one or a full replay", file, e.toString());
                resetState();
            }
        }
        reader.startAfter(-1);
        emitter.rememberFrom(-1);
        if (!files.isEmpty()) {
            LOG.warn("no usable core snapshot among {}; replaying the whole retained journal", files.size());
        }
        return -1;
    }

    private void decodeSnapshot(DataInputStream in) throws IOException {
        long alertIndex = in.readLong();
        nextSnapshotAtMs = in.readLong();
        readState(in, metrics::restoreOpen);
        ledger.readFrom(in);
        if (in.available() != 0) {
            throw new IOException(in.available() + " bytes left over after the snapshot");
        }
        if (supervision != null) {
            supervision.restored();
        }
        emitter.rememberFrom(alertIndex);
    }

    private interface OpenCount {
        void restore(AlertType type, long open);
    }

    /** Reads what {@link #writeState} wrote, into this core's devices. */
    private void readState(DataInputStream in, OpenCount openCount) throws IOException {
        int typeCount = in.readInt();
        for (int i = 0; i < typeCount; i++) {
            String type = in.readUTF();
            long open = in.readLong();
            for (AlertType t : AlertType.values()) {
                if (t.name().equals(type)) {
                    openCount.restore(t, open);
                }
            }
        }
        String[] names = new String[in.readInt()];
        for (int i = 0; i < names.length; i++) {
            names[i] = in.readUTF();
        }
        int[] mapping = CoreDevice.FIELDS.mapping(names);
        zones.restoreShared(in);
        long[] values = new long[names.length];
        int count = in.readInt();
        for (int n = 0; n < count; n++) {
            CoreDevice d = state(in.readLong());
            for (int i = 0; i < values.length; i++) {
                values[i] = in.readLong();
            }
            CoreDevice.FIELDS.load(d, mapping, values);
            zones.restoreDevice(d, in);
        }
    }

    private void resetState() {
        devices.clear();
        pursuitIntervals.clear();
        zones = zoneStageFactory.create(alertBuilder, config);
        directoryVersion = Long.MIN_VALUE;
        refreshDirectory();
        for (AlertType type : AlertType.values()) {
            metrics.restoreOpen(type, 0);
        }
        nextSnapshotAtMs = Long.MIN_VALUE;
        lastProcessedIndex = -1;
    }

    /** Processes up to {@code limit} records; returns how many were processed. */
    public int doWork(int limit) {
        if (victimFixes != null) {
            victimFixes.drainTo(victimSink);   // victim units of partitions other nodes evaluate
        }
        int done = 0;
        while (done < limit && reader.next(record)) {
            if (ownership != null) {
                emitter.replaying(!reader.lastReadIsLive());   // a partition taken over replays its tail first
            }
            long start = System.nanoTime();
            process(record);
            ledger.apply(record);
            metrics.evaluated(System.nanoTime() - start);
            lastProcessedIndex = record.index;
            if (reader.lastReadIsLive()) {
                processedLive++;
            }
            done++;
            if (ownership != null && !replaying && config.snapshotIntervalS > 0) {
                if (nextSnapshotAtMs == Long.MIN_VALUE) {
                    nextSnapshotAtMs = record.timeMs + config.snapshotIntervalS * 1000L;
                } else if (record.timeMs >= nextSnapshotAtMs) {
                    nextSnapshotAtMs = record.timeMs + config.snapshotIntervalS * 1000L;
                    ownership.snapshotOwned();
                }
            } else if (snapshots != null && !replaying) {
                if (nextSnapshotAtMs == Long.MIN_VALUE) {
                    nextSnapshotAtMs = record.timeMs + config.snapshotIntervalS * 1000L;
                } else if (record.timeMs >= nextSnapshotAtMs) {
                    nextSnapshotAtMs = record.timeMs + config.snapshotIntervalS * 1000L;
                    snapshot();
                }
            }
        }
        return done;
    }

    /** Journal records appended since start and not yet evaluated. */
    public long lagEntries() {
        if (ownership != null) {
            return ownership.lag();   // other nodes append to the same topic: what counts is this node's partitions
        }
        return Math.max(0, journal.appendsSinceOpen() - processedLive);
    }

    /** Index of the last record evaluated. */
    public long lastProcessedIndex() {
        return lastProcessedIndex;
    }

    private void process(IngestRecord r) {
        refreshDirectory();
        if (r.isTick()) {
            onTick(r.timeMs, r.partition, r.partitions);
            return;
        }
        DeviceRecord device = directory.device(r.deviceId);
        if (device == null) {
            return; // removed from the registry after it was journaled; the journal still holds the data
        }
        if (r.type == IngestRecord.TYPE_SESSION_CONFLICT) {
            conditions.onSessionConflict(device, device.subjectId() == 0 ? null
                    : directory.activeOrder(device.subjectId(), r.timeMs), r);
            return;
        }
        DeviceMessage msg = r.message;
        if (device.role() == DeviceRole.VICTIM_UNIT) {
            for (int i = 0; i < msg.fixCount(); i++) {
                if (msg.fix(i).isValid() && !msg.fix(i).isClockFault()) {
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
        int clockFaults = 0;
        int goodClockFixes = 0;
        long faultyFixMs = 0;
        for (int i = 0; i < msg.fixCount(); i++) {
            Fix fix = msg.fix(i);
            if (fix.isClockFault()) {
                // flagged at ingest: kept as evidence, never evaluated (one fix dated 2099 would make every later one late)
                clockFaults++;
                faultyFixMs = fix.timeMs;
                continue;
            }
            goodClockFixes++;
            hasValidFix |= fix.isValid();
            late |= fix.isValid() && fix.timeMs < d.newestFixTimeMs;
        }
        conditions.onMessage(d, device, order, msg, r.timeMs, hasValidFix, late, r.receivedNanoTime);
        if (goodClockFixes > 0 || clockFaults > 0) {
            conditions.onFixClock(d, device, order, clockFaults, goodClockFixes > 0, faultyFixMs, r.timeMs, r.receivedNanoTime);
        }
        for (int i = 0; i < msg.fixCount(); i++) {
            Fix fix = msg.fix(i);
            if (fix.isValid() && !fix.isClockFault()) {
                boolean fixLate = fix.timeMs < d.newestFixTimeMs;
                zones.onFix(d, device, order, fix, r.timeMs, fixLate, r.receivedNanoTime);
                if (fix.timeMs > d.newestFixTimeMs) {
                    d.newestFixTimeMs = fix.timeMs;
                }
            }
        }
    }

    /**
     * A clock tick. On the Kafka journal every partition carries its own ticks ({@code partition >= 0}), and a tick
     * moves only the timers of that partition's devices, so each device sees time in its own partition's order.
     */
    private void onTick(long nowMs, int partition, int partitions) {
        for (DeviceRecord device : directory.assignedDevices()) {
            if (device.role() != DeviceRole.BRACELET) {
                continue;
            }
            if (partition >= 0 && DevicePartitions.of(device.id(), partitions) != partition) {
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
            if (supervision != null) {
                supervision.onTick(d, device, order, nowMs);
            }
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

    private static final int SPINS = 10;
    private static final long FIRST_PARK_NS = 250_000;
    private static final long LONGEST_PARK_NS = 1_000_000;

    /**
     * How long to park after {@code parks} empty polls in a row: 250 µs, doubling to at most 1 ms. The core is not on
     * the ack path (a device is acked after the journal append), so a park only delays evaluation, by at most 1 ms
     * against alert deadlines of seconds. Short parks cost more than they saved: a fixed 50 µs park polled the journal
     * 20,000 times a second and kept a tenth of a core busy on an idle server, and at 50,000 fixes/s (a message every
     * 200 µs) 100 spins and 50-400 µs parks cost the core 1.8 µs of CPU per fix in wake-ups, against 1.0 µs with these
     * (docs/performance.md, "The core's idle wait").
     */
    static long idleParkNanos(int parks) {
        return parks >= 3 ? LONGEST_PARK_NS : FIRST_PARK_NS << parks;
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
                } else if (idle < SPINS) {
                    idle++;
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(idleParkNanos(idle - SPINS));
                    idle = Math.min(idle + 1, SPINS + 3); // bounded: a counter that wrapped would spin again for days
                }
            }
        }, "kuzet-core");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        running = false;
        if (ownership != null) {
            closeOwnership();
            return;
        }
        boolean stopped = true;
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopped = !thread.isAlive();
            if (stopped) {
                reader.handOverToCurrentThread();
            }
        }
        if (snapshotWriter != null) {
            if (stopped && lastProcessedIndex > lastSnapshotIndex) {
                try {
                    snapshot().get(30, TimeUnit.SECONDS);   // the next start replays nothing
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException e) {
                    LOG.warn("no snapshot at shutdown; the next start replays from the previous one", e);
                }
            }
            snapshotWriter.shutdown();
        }
        reader.close();
    }

    /** Leaves the evaluation group: the owned partitions are snapshotted for their next owners, then dropped. */
    private void closeOwnership() {
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("the core thread did not stop; leaving the evaluation group without snapshots");
            }
        }
        reader.handOverToCurrentThread();
        reader.close();   // revokes every owned partition first (a clean handover), on this thread
        snapshotWriter.shutdown();
    }
}
