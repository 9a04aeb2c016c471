package io.kuzet.simulator.load;

import com.fasterxml.jackson.databind.JsonNode;
import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.protocol.kuzet.KuzetEncoder;
import io.kuzet.simulator.device.DeviceClientGroup;
import io.kuzet.simulator.device.DeviceKeys;
import io.kuzet.simulator.device.DeviceListener;
import io.kuzet.simulator.device.Gt06Device;
import io.kuzet.simulator.device.KuzetDevice;
import io.kuzet.simulator.gps.GeoPoint;
import io.kuzet.simulator.target.LiveAlertStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Many Kuzet (or GT06) devices over many connections on one event loop group, sending position batches as fast as acks allow
 * (a window of messages in flight per device) or at a fixed total rate, while a share of them walks in and out of an
 * exclusion zone. Records ack round-trip (send → cumulative ACK) and fix-to-alert latency (the deciding violating
 * fix sent → its alert on the live WebSocket) in HdrHistograms, prints a progress line every second and returns a
 * {@link LoadResult}. One run per instance.
 */
public final class LoadRun {
    /** Violators cycle 4 fixes inside the zone, 8 outside; the 3rd inside fix (30 s after the 1st) opens the alert. */
    private static final int CYCLE = 12;
    private static final int INSIDE = 4;
    private static final int DECIDING = 2;
    private static final long FIX_SPACING_MS = 15_000;

    private final LoadOptions options;
    private final Target target;
    private final Recorder ackRecorder = new Recorder(3);
    private final Recorder alertRecorder = new Recorder(3);
    private final LongAdder positionsAcked = new LongAdder();
    private final LongAdder messagesAcked = new LongAdder();
    private final LongAdder alertsReceived = new LongAdder();
    private final LongAdder decidingFixesSent = new LongAdder();
    private final LongAdder alertsTimed = new LongAdder();
    /** After the last send, how long the run waits for the alerts of deciding fixes already sent. */
    private static final long ALERT_DRAIN_NANOS = 15_000_000_000L;
    private final ConcurrentHashMap<AlertKey, Long> decidingFixSentNanos = new ConcurrentHashMap<>();
    private volatile boolean sending = true;
    private volatile long measuredFromNanosForAlerts = Long.MAX_VALUE;
    private ServerProbe probe;
    private int drainTimeoutS = 120;

    private record AlertKey(long deviceNumber, long fixTimeMs) {
    }

    public LoadRun(LoadOptions options, Target target) {
        this.options = options;
        this.target = target;
    }

    /**
     * Measures the server's CPU per stored fix with {@code probe} (a server on this machine): sampled when the warm-up
     * ends and again once storage has caught up after the last send, waiting at most {@code drainTimeoutS}.
     */
    public LoadRun withCpuProbe(ServerProbe probe, int drainTimeoutS) {
        this.probe = probe;
        this.drainTimeoutS = drainTimeoutS;
        return this;
    }

    /** Runs; {@code heapProbe} (may be null) returns used heap after a GC, to measure heap per idle device. */
    public LoadResult run(Consumer<String> progress, HeapProbe heapProbe) throws Exception {
        LiveAlertStream live = target.httpPort() > 0
                ? new LiveAlertStream(target.host(), target.httpPort(), target.liveToken(), this::onAlert) : null;
        try (DeviceClientGroup group = new DeviceClientGroup(target.host(), target.kuzetPort(), options.clientThreads(),
                options.devicesPerSourceAddress())) {
            SplittableRandom random = new SplittableRandom(options.seed());
            List<LoadDevice> devices = new ArrayList<>(options.devices());
            long baseTimeMs = System.currentTimeMillis() / 1000 * 1000; // whole seconds: GT06 carries no milliseconds
            for (int i = 0; i < options.devices(); i++) {
                boolean violator = random.nextDouble() < options.violatorShare();
                double bearing = random.nextDouble(2 * Math.PI);
                double distance = 2500 + random.nextDouble(5000);
                GeoPoint home = LoadFleet.ZONE_CENTRE.offsetMetres(distance * Math.sin(bearing), distance * Math.cos(bearing));
                devices.add(new LoadDevice(group, i, violator, home, baseTimeMs));
            }
            long heapBefore = heapProbe == null ? -1 : heapProbe.usedHeapAfterGc();
            connectAll(devices, progress);
            long heapPerDevice = heapProbe == null ? -1 : Math.max(0, (heapProbe.usedHeapAfterGc() - heapBefore) / devices.size());
            progress.accept("load: " + devices.size() + " devices logged in"
                    + (heapPerDevice >= 0 ? ", heap per idle connected device " + heapPerDevice + " bytes" : ""));

            long startNanos = System.nanoTime();
            if (options.ratePositionsPerSecond() <= 0) {
                for (LoadDevice d : devices) {
                    d.eventLoop().execute(d::fillWindow);
                }
            } else {
                startFixedRate(devices);
            }
            Histogram ackTotal = new Histogram(3);
            Histogram alertTotal = new Histogram(3);
            Histogram ackInterval = null;
            Histogram alertInterval = null;
            List<SeriesPoint> series = new ArrayList<>();
            long measuredFromNanos = 0;
            long positionsAtMeasureStart = 0;
            long messagesAtMeasureStart = 0;
            long decidingAtMeasureStart = 0;
            long lastPositions = 0;
            ServerProbe.Sample cpuFrom = null;
            long totalS = options.warmupS() + options.durationS();
            for (int s = 1; s <= totalS; s++) {
                LockSupport.parkNanos(startNanos + s * 1_000_000_000L - System.nanoTime());
                ackInterval = ackRecorder.getIntervalHistogram(ackInterval);
                alertInterval = alertRecorder.getIntervalHistogram(alertInterval);
                long positions = positionsAcked.sum();
                double rate = positions - lastPositions;
                lastPositions = positions;
                if (s == options.warmupS()) {
                    measuredFromNanos = System.nanoTime();
                    measuredFromNanosForAlerts = measuredFromNanos;
                    positionsAtMeasureStart = positions;
                    messagesAtMeasureStart = messagesAcked.sum();
                    decidingAtMeasureStart = decidingFixesSent.sum();
                    cpuFrom = probe == null ? null : probe.sample();
                } else if (s > options.warmupS()) {
                    ackTotal.add(ackInterval);
                    alertTotal.add(alertInterval);
                }
                double p50 = ackInterval.getValueAtPercentile(50) / 1e6;
                double p99 = ackInterval.getValueAtPercentile(99) / 1e6;
                series.add(new SeriesPoint(s, rate, p50, p99, alertsReceived.sum()));
                progress.accept(String.format("load %3ds%s  %,9.0f positions/s  ack p50 %.2f ms p99 %.2f ms  alerts %d  fix-to-alert p99 %.2f ms",
                        s, s <= options.warmupS() ? " (warm-up)" : "", rate, p50, p99, alertsReceived.sum(),
                        alertInterval.getTotalCount() == 0 ? 0.0 : alertInterval.getValueAtPercentile(99) / 1e6));
            }
            double measuredS = measuredFromNanos == 0 ? 0 : (System.nanoTime() - measuredFromNanos) / 1e9;
            long positions = positionsAcked.sum() - positionsAtMeasureStart;
            long messages = messagesAcked.sum() - messagesAtMeasureStart;
            long expected = decidingFixesSent.sum() - decidingAtMeasureStart;
            sending = false;
            CpuPerFix cpu = cpuFrom == null ? null : drainAndMeasure(cpuFrom, positions, progress);
            // the alerts of deciding fixes sent in the last moments (on a slow machine, the last seconds) are still on
            // their way: wait for them, so the figure does not leave out the slowest alerts
            long drainEnd = System.nanoTime() + ALERT_DRAIN_NANOS;
            while (live != null && alertsTimed.sum() < expected && System.nanoTime() < drainEnd) {
                LockSupport.parkNanos(50_000_000L);
            }
            alertTotal.add(alertRecorder.getIntervalHistogram(alertInterval));
            return new LoadResult(options, target.host() + ":" + target.kuzetPort(), measuredS, positions,
                    measuredS == 0 ? 0 : positions / measuredS, measuredS == 0 ? 0 : messages / measuredS,
                    LatencySummary.of(ackTotal), LatencySummary.of(alertTotal), expected, heapPerDevice, series, cpu);
        } finally {
            sending = false;
            if (live != null) {
                live.close();
            }
        }
    }

    /**
     * Waits until the server has stored everything journaled (storage lag 0, polled every 200 ms) or the drain timeout,
     * then samples: the window from {@code from} to that moment holds the CPU of both acking and storing the same fixes.
     */
    private CpuPerFix drainAndMeasure(ServerProbe.Sample from, long ackedWhileSending, Consumer<String> progress) {
        ServerProbe.Sample sendEnd = probe.sample();
        ServerProbe.Sample now = sendEnd;
        long deadline = System.nanoTime() + drainTimeoutS * 1_000_000_000L;
        while (now.lagEntries() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(200_000_000L);
            now = probe.sample();
        }
        CpuPerFix cpu = CpuPerFix.between(from, sendEnd, now, ackedWhileSending);
        progress.accept(String.format("load: storage lag %.0f entries (%.1f s) when sending stopped, %.0f after %.1f s of drain",
                cpu.lagAtSendEnd(), cpu.lagSecondsAtSendEnd(), cpu.lagAtEnd(), cpu.drainSeconds()));
        return cpu;
    }

    /** Used heap after a full GC, in bytes (in-process runs pass one that sees the server too). */
    public interface HeapProbe {
        long usedHeapAfterGc();
    }

    private void connectAll(List<LoadDevice> devices, Consumer<String> progress) throws Exception {
        int chunk = 500;
        for (int from = 0; from < devices.size(); from += chunk) {
            List<CompletableFuture<Long>> logins = new ArrayList<>();
            for (int i = from; i < Math.min(devices.size(), from + chunk); i++) {
                logins.add(devices.get(i).connect());
            }
            CompletableFuture.allOf(logins.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            if ((from / chunk) % 10 == 9) {
                progress.accept("load: " + (from + chunk) + " devices connected");
            }
        }
    }

    private void startFixedRate(List<LoadDevice> devices) {
        double messagesPerSecond = (double) options.ratePositionsPerSecond() / options.fixesPerMessage();
        java.util.Map<io.netty.channel.EventLoop, List<LoadDevice>> byLoop = new java.util.IdentityHashMap<>();
        for (LoadDevice d : devices) {
            byLoop.computeIfAbsent(d.eventLoop(), k -> new ArrayList<>()).add(d);
        }
        double perLoopPerTick = messagesPerSecond / byLoop.size() / 1000.0;
        byLoop.forEach((loop, list) -> {
            double[] credit = {0};
            int[] next = {0};
            loop.scheduleAtFixedRate(() -> {
                if (!sending) {
                    return;
                }
                credit[0] += perLoopPerTick;
                int skipped = 0;
                while (credit[0] >= 1 && skipped < list.size()) {
                    LoadDevice d = list.get(next[0]);
                    next[0] = (next[0] + 1) % list.size();
                    if (d.inFlight < options.windowMessages()) {
                        d.sendOne();
                        credit[0] -= 1;
                        skipped = 0;
                    } else {
                        skipped++;
                    }
                }
            }, 1, 1, TimeUnit.MILLISECONDS);
        });
    }

    private void onAlert(JsonNode alert, long receivedNanos) {
        if (!"RAISED".equals(alert.path("phase").asText()) || !"EXCLUSION_VIOLATION".equals(alert.path("type").asText())) {
            return;
        }
        alertsReceived.increment();
        long deviceNumber = Long.parseLong(alert.path("deviceNumber").asText());
        long fixTimeMs = Instant.parse(alert.path("fixTime").asText()).toEpochMilli();
        Long sent = decidingFixSentNanos.remove(new AlertKey(deviceNumber, fixTimeMs));
        if (sent != null && sent >= measuredFromNanosForAlerts) {   // deciding fix sent after the warm-up
            alertRecorder.recordValue(Math.max(0, receivedNanos - sent));
            alertsTimed.increment();
        }
    }

    /** One load device; all fields confined to its event loop. */
    private final class LoadDevice implements DeviceListener {
        private final KuzetDevice device;
        private final Gt06Device gt06;
        private final long deviceNumber;
        private final boolean violator;
        private final GeoPoint home;
        private final DeviceMessage message = new DeviceMessage();
        private long fixIndex;
        private final long baseTimeMs;
        int inFlight;

        LoadDevice(DeviceClientGroup group, int index, boolean violator, GeoPoint home, long baseTimeMs) {
            if ("gt06".equals(options.protocol())) {
                this.gt06 = group.newGt06Device(LoadFleet.imei(index), this);
                this.device = null;
                this.deviceNumber = LoadFleet.imei(index);
            } else {
                this.device = group.newDevice(LoadFleet.number(index), DeviceKeys.derive(LoadFleet.number(index)), this);
                this.gt06 = null;
                this.deviceNumber = LoadFleet.number(index);
            }
            this.violator = violator;
            this.home = home;
            this.baseTimeMs = baseTimeMs;
        }

        io.netty.channel.EventLoop eventLoop() {
            return device != null ? device.eventLoop() : gt06.eventLoop();
        }

        CompletableFuture<Long> connect() {
            return device != null ? device.connect() : gt06.connect();
        }

        void fillWindow() {
            while (sending && inFlight < options.windowMessages()) {
                sendOne();
            }
        }

        void sendOne() {
            message.clear();
            boolean deciding = false;
            long decidingTimeMs = 0;
            for (int i = 0; i < options.fixesPerMessage(); i++) {
                long k = fixIndex++;
                long timeMs = baseTimeMs + k * FIX_SPACING_MS;
                int phase = (int) (k % CYCLE);
                boolean inside = violator && phase < INSIDE;
                GeoPoint p = inside ? LoadFleet.ZONE_CENTRE.offsetMetres(20, 30) : home;
                Fix f = message.addFix();
                f.timeMs = timeMs;
                f.latE7 = (int) Math.round(p.lat() * 1e7);
                f.lonE7 = (int) Math.round(p.lon() * 1e7);
                f.accuracyDm = 80;
                f.satellites = 9;
                f.speedKmhX10 = 40;
                f.flags = Fix.FLAG_VALID;
                if (violator && phase == DECIDING) {
                    deciding = true;
                    decidingTimeMs = timeMs;
                }
            }
            if (deciding) {
                long now = System.nanoTime();
                decidingFixSentNanos.put(new AlertKey(deviceNumber, decidingTimeMs), now);
                if (now >= measuredFromNanosForAlerts) {
                    decidingFixesSent.increment();
                }
            }
            if (device != null) {
                inFlight++;
                device.submit((out, seq) -> KuzetEncoder.writePositionBatch(out, seq, message), message.fixCount());
            } else {
                for (int i = 0; i < message.fixCount(); i++) {
                    inFlight++;
                    gt06.sendLocation(message.fix(i));
                }
            }
        }

        @Override
        public void onAcked(KuzetDevice d, long sequence, int fixes, long rttNanos) {
            inFlight = Math.max(0, inFlight - 1);
            positionsAcked.add(fixes);
            messagesAcked.increment();
            ackRecorder.recordValue(Math.max(0, rttNanos));
            if (options.ratePositionsPerSecond() <= 0 && sending) {
                sendOne();
            }
        }
    }
}
