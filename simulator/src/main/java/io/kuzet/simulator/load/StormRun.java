package io.kuzet.simulator.load;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.protocol.kuzet.KuzetEncoder;
import io.kuzet.simulator.device.DeviceClientGroup;
import io.kuzet.simulator.device.DeviceKeys;
import io.kuzet.simulator.device.DeviceListener;
import io.kuzet.simulator.device.KuzetDevice;
import io.kuzet.simulator.gps.GeoPoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A reconnect storm: N devices log in, lose coverage, each buffer M one-fix messages (a fix a minute, flagged
 * BUFFERED), then all reconnect at random moments within a window and replay. Measures the time until the last
 * buffered message is acked (a device whose login times out retries a second later, up to 5 times) and checks that every fix was acked and, given the journal, stored exactly once.
 * One run per instance.
 */
public final class StormRun {
    private final int devices;
    private final int fixesPerDevice;
    private final int windowS;
    private final int clientThreads;
    private final int devicesPerSourceAddress;
    private final long seed;
    private final LongAdder fixesAcked = new LongAdder();

    public StormRun(int devices, int fixesPerDevice, int windowS, int clientThreads, int devicesPerSourceAddress, long seed) {
        this.devices = devices;
        this.fixesPerDevice = fixesPerDevice;
        this.windowS = windowS;
        this.clientThreads = clientThreads;
        this.devicesPerSourceAddress = devicesPerSourceAddress;
        this.seed = seed;
    }

    /** Connects, and after a refused or timed-out login tries again a second later, as devices do in a storm. */
    private static CompletableFuture<Long> connectWithRetry(KuzetDevice device, int attempts) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        device.connect().whenComplete((lastStored, e) -> {
            if (e == null) {
                result.complete(lastStored);
            } else if (attempts <= 1) {
                result.completeExceptionally(e);
            } else {
                device.eventLoop().schedule(() -> connectWithRetry(device, attempts - 1).whenComplete((l, e2) -> {
                    if (e2 == null) {
                        result.complete(l);
                    } else {
                        result.completeExceptionally(e2);
                    }
                }), 1, TimeUnit.SECONDS);
            }
        });
        return result;
    }

    /**
     * Runs against {@code target}; {@code journal} (may be null) lists the journaled (device number offset, sequence,
     * fixes) of the storm devices for the exactly-once check.
     */
    public StormResult run(Target target, Supplier<List<long[]>> journal, Consumer<String> progress) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        DeviceListener counter = new DeviceListener() {
            @Override
            public void onAcked(KuzetDevice device, long sequence, int fixes, long rttNanos) {
                fixesAcked.add(fixes);
            }
        };
        try (DeviceClientGroup group = new DeviceClientGroup(target.host(), target.kuzetPort(), clientThreads, devicesPerSourceAddress)) {
            List<KuzetDevice> list = new ArrayList<>(devices);
            for (int i = 0; i < devices; i++) {
                list.add(group.newDevice(LoadFleet.number(i), DeviceKeys.derive(LoadFleet.number(i)), counter));
            }
            List<Long> firstSequence = new ArrayList<>();
            for (int from = 0; from < devices; from += 500) {
                List<CompletableFuture<Long>> logins = new ArrayList<>();
                for (int i = from; i < Math.min(devices, from + 500); i++) {
                    logins.add(connectWithRetry(list.get(i), 5));
                }
                CompletableFuture.allOf(logins.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                for (CompletableFuture<Long> f : logins) {
                    firstSequence.add(f.get() + 1);
                }
            }
            progress.accept("storm: " + devices + " devices logged in; going out of coverage");
            List<CompletableFuture<Void>> closed = new ArrayList<>();
            list.forEach(d -> closed.add(d.disconnect()));
            CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            long nowMs = System.currentTimeMillis();
            List<CompletableFuture<Long>> buffered = new ArrayList<>();
            for (int i = 0; i < devices; i++) {
                KuzetDevice d = list.get(i);
                GeoPoint p = LoadFleet.ZONE_CENTRE.offsetMetres(3000 + i % 1000, 3000 + i / 1000);
                CompletableFuture<Long> last = new CompletableFuture<>();
                d.eventLoop().execute(() -> {
                    DeviceMessage m = new DeviceMessage();
                    long seq = 0;
                    for (int k = 0; k < fixesPerDevice; k++) {
                        m.clear();
                        Fix f = m.addFix();
                        f.timeMs = nowMs - (fixesPerDevice - k) * 60_000L;
                        f.latE7 = (int) Math.round(p.lat() * 1e7);
                        f.lonE7 = (int) Math.round(p.lon() * 1e7);
                        f.accuracyDm = 80;
                        f.satellites = 8;
                        f.flags = Fix.FLAG_VALID | Fix.FLAG_BUFFERED;
                        seq = d.submit((out, s) -> KuzetEncoder.writePositionBatch(out, s, m), 1);
                    }
                    last.complete(seq);
                });
                buffered.add(last);
            }
            CompletableFuture.allOf(buffered.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            long ackedBefore = fixesAcked.sum();
            progress.accept("storm: " + devices + " × " + fixesPerDevice + " fixes buffered; reconnecting within " + windowS + " s");

            long start = System.nanoTime();
            AtomicLong lastAckNanos = new AtomicLong(start);
            List<CompletableFuture<Long>> allAcked = new ArrayList<>();
            for (int i = 0; i < devices; i++) {
                KuzetDevice d = list.get(i);
                long delayMs = windowS <= 0 ? 0 : random.nextLong(windowS * 1000L);
                CompletableFuture<Long> done = new CompletableFuture<>();
                d.eventLoop().schedule(() -> connectWithRetry(d, 5).whenComplete((l, e) -> {
                    if (e != null) {
                        done.completeExceptionally(e);
                    }
                }), delayMs, TimeUnit.MILLISECONDS);
                d.acked(buffered.get(i).get()).whenComplete((l, e) -> {
                    lastAckNanos.accumulateAndGet(System.nanoTime(), Math::max);
                    done.complete(l);
                });
                allAcked.add(done);
            }
            CompletableFuture<Void> all = CompletableFuture.allOf(allAcked.toArray(CompletableFuture[]::new));
            long timeoutNanos = TimeUnit.SECONDS.toNanos(windowS + 300L);
            long nextProgress = start;
            while (!all.isDone() && System.nanoTime() - start < timeoutNanos) {
                LockSupport.parkNanos(20_000_000L);
                if (System.nanoTime() < nextProgress + 1_000_000_000L) {
                    continue;
                }
                nextProgress = System.nanoTime();
                long acked = fixesAcked.sum() - ackedBefore;
                progress.accept(String.format("storm %5.1fs  %,d of %,d buffered fixes acked", (System.nanoTime() - start) / 1e9,
                        acked, (long) devices * fixesPerDevice));
            }
            all.get(1, TimeUnit.SECONDS);
            double absorbS = (lastAckNanos.get() - start) / 1e9;
            long acked = fixesAcked.sum() - ackedBefore;
            long journaled = -1;
            long duplicates = 0;
            long missing = 0;
            if (journal != null) {
                Map<Long, long[]> perDevice = new HashMap<>(); // device id -> {count, max sequence}
                Map<String, Boolean> seen = new HashMap<>();
                journaled = 0;
                for (long[] m : journal.get()) {
                    if (!seen.containsKey(m[0] + "/" + m[1])) {
                        seen.put(m[0] + "/" + m[1], true);
                        journaled++;
                    } else {
                        duplicates++;
                    }
                    perDevice.computeIfAbsent(m[0], k -> new long[2])[0]++;
                }
                for (int i = 0; i < devices; i++) {
                    long[] c = perDevice.get((long) i + 1);
                    long expected = firstSequence.get(i) - 1 + fixesPerDevice;
                    missing += Math.max(0, expected - (c == null ? 0 : c[0]));
                }
            }
            boolean ok = acked == (long) devices * fixesPerDevice && duplicates == 0 && missing == 0;
            return new StormResult(devices, fixesPerDevice, windowS, absorbS, acked / absorbS, acked, journaled, duplicates, missing, ok);
        }
    }
}
