package io.kuzet.simulator.device;

import io.kuzet.protocol.DeviceEventType;
import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.simulator.fleet.Fleet;
import io.kuzet.simulator.fleet.SimSubject;
import io.kuzet.simulator.fleet.TruthSample;
import io.kuzet.simulator.fleet.ZoneSpec;
import io.kuzet.simulator.gps.GeoPoint;
import io.kuzet.simulator.gps.GpsErrorModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Drives every bracelet of a {@link Fleet} through simulated time: at each {@link #step} a device whose reporting
 * interval is up (the order's interval, 15 s while its own geofence sees a violation) samples its subject's true
 * position through the GPS error model and sends the fix; batteries drain and charge (on the charger at home
 * from 21:00 local on nine evenings in ten), low and critical battery raise device events, heartbeats go out every
 * 5 minutes, and a few coverage gaps per hundred subject-days buffer fixes that are replayed on reconnect. Seeded,
 * so the same fleet sends the same fixes. Used from one thread; the devices do their I/O on their event loops.
 */
public final class FleetDriver implements AutoCloseable {
    private static final long HEARTBEAT_EVERY_MS = 300_000;
    private static final double COVERAGE_GAPS_PER_DAY = 0.05;
    private static final double TAMPERS_PER_DAY = 0.002;

    private final List<DeviceState> devices = new ArrayList<>();
    private final Consumer<SentFix> sentFixes;
    private long fixesSent;

    public FleetDriver(Fleet fleet, DeviceClientGroup group, Consumer<SentFix> sentFixes) {
        this(fleet, s -> group.newBracelet(s.braceletNumber(), s.braceletKey()), sentFixes);
    }

    /** A driver whose bracelets come from {@code bracelets} (e.g. GT06 or Watch devices for the quality run). */
    public FleetDriver(Fleet fleet, java.util.function.Function<SimSubject, Bracelet> bracelets, Consumer<SentFix> sentFixes) {
        this.sentFixes = sentFixes;
        for (SimSubject s : fleet.subjects()) {
            devices.add(new DeviceState(s, bracelets.apply(s), fleet.seed(), fleet.startMs()));
        }
    }

    /** Connects and logs in every device. */
    public void connectAll() throws Exception {
        List<CompletableFuture<Long>> logins = new ArrayList<>();
        for (DeviceState d : devices) {
            logins.add(d.device.connect());
        }
        CompletableFuture.allOf(logins.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    /** Advances every device to simulated time {@code timeMs}. */
    public void step(long timeMs) throws Exception {
        for (DeviceState d : devices) {
            d.step(timeMs);
        }
    }

    /** Waits until every connected device's messages are acked, so journal time keeps up with simulated time. */
    public void awaitAcked() throws Exception {
        List<CompletableFuture<Long>> acks = new ArrayList<>();
        for (DeviceState d : devices) {
            if (d.connected) {
                acks.add(d.device.allAcked());
            }
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    public long fixesSent() {
        return fixesSent;
    }

    @Override
    public void close() {
        for (DeviceState d : devices) {
            d.device.disconnect();
        }
    }

    private final class DeviceState {
        private final SimSubject subject;
        private final Bracelet device;
        private final GpsErrorModel gps;
        private final BatteryModel battery;
        private final SplittableRandom random;
        private final DeviceMessage message = new DeviceMessage();
        private long nextReportMs;
        private long nextHeartbeatMs;
        private long offlineUntilMs = Long.MIN_VALUE;
        private long nextDayMs;
        private boolean connected = true;
        private boolean lowReported;
        private boolean criticalReported;
        private boolean chargesToday = true;
        private long pendingGapStartMs = Long.MAX_VALUE;
        private long pendingGapLengthMs;
        private long pendingTamperMs = Long.MAX_VALUE;

        DeviceState(SimSubject subject, Bracelet device, long seed, long startMs) {
            this.subject = subject;
            this.device = device;
            this.random = new SplittableRandom(seed ^ subject.braceletNumber() * 0x9E3779B97F4A7C15L);
            this.gps = new GpsErrorModel(random.nextLong(), subject.accuracyReporting());
            this.battery = new BatteryModel(60 + random.nextInt(40), startMs);
            this.nextReportMs = startMs + random.nextLong(subject.reportingIntervalS() * 1000L);
            this.nextHeartbeatMs = startMs + random.nextLong(HEARTBEAT_EVERY_MS);
            this.nextDayMs = startMs;
        }

        void step(long t) throws Exception {
            if (t >= nextDayMs) {
                planDay(t);
            }
            battery.advanceTo(t);
            int localHour = java.time.Instant.ofEpochMilli(t).atZone(subject.city().timeZone()).getHour();
            TruthSample truth = subject.routine().sample(t);
            boolean atHome = "home".equals(truth.activity());
            battery.setCharging(atHome && localHour >= 21 && chargesToday);
            if (battery.empty()) {
                return; // off: nothing measured, nothing sent
            }
            if (!connected && t >= offlineUntilMs) {
                device.connect().get(10, TimeUnit.SECONDS);
                connected = true;
            }
            if (t >= nextReportMs) {
                report(t, truth);
            }
            batteryEvents(t);
            if (t >= nextHeartbeatMs) {
                int level = battery.percent();
                boolean charging = battery.charging();
                device.sendHeartbeat(t, level, charging);
                nextHeartbeatMs = t + HEARTBEAT_EVERY_MS;
            }
        }

        private void planDay(long t) {
            nextDayMs = t + 86_400_000L;
            chargesToday = random.nextDouble() < 0.9;
            if (random.nextDouble() < COVERAGE_GAPS_PER_DAY) {
                long gapStart = t + random.nextLong(86_400_000L - 3_600_000L);
                long gapLength = 600_000L + random.nextLong(1_800_000L);
                offlineAt(gapStart, gapLength);
            }
            if (random.nextDouble() < TAMPERS_PER_DAY) {
                long when = t + random.nextLong(86_400_000L);
                pendingTamperMs = when;
            }
        }

        private void offlineAt(long startMs, long lengthMs) {
            pendingGapStartMs = startMs;
            pendingGapLengthMs = lengthMs;
        }

        private void report(long t, TruthSample truth) throws Exception {
            if (t >= pendingGapStartMs) {
                offlineUntilMs = t + pendingGapLengthMs;
                pendingGapStartMs = Long.MAX_VALUE;
                device.disconnect().get(5, TimeUnit.SECONDS);
                connected = false;
            }
            message.clear();
            Fix fix = message.addFix();
            boolean valid = gps.observe(t, truth.point(), truth.sky(), truth.speedKmh(), truth.headingDeg(), fix);
            if (!connected) {
                fix.flags |= Fix.FLAG_BUFFERED;
            }
            if (t >= pendingTamperMs) {
                message.addEvent(t, DeviceEventType.STRAP_TAMPER, -1);
                pendingTamperMs = Long.MAX_VALUE;
            }
            device.sendFix(new DeviceMessage().copyFrom(message));
            battery.onFixSent();
            fixesSent++;
            GeoPoint observed = new GeoPoint(fix.latE7 / 1e7, fix.lonE7 / 1e7);
            sentFixes.accept(new SentFix(subject.subjectId(), t, observed.lat(), observed.lon(),
                    fix.accuracyDm < 0 ? Double.NaN : fix.accuracyDm / 10.0, valid));
            nextReportMs = t + (valid && seesViolation(observed, t) ? 15_000 : subject.reportingIntervalS() * 1000L);
        }

        private void batteryEvents(long t) {
            int level = battery.percent();
            if (level <= 5 && !criticalReported) {
                criticalReported = true;
                event(t, DeviceEventType.BATTERY_CRITICAL, level);
            } else if (level <= 20 && !lowReported) {
                lowReported = true;
                event(t, DeviceEventType.BATTERY_LOW, level);
            } else if (level > 30) {
                lowReported = false;
                criticalReported = false;
            }
        }

        private void event(long t, DeviceEventType type, int value) {
            DeviceMessage events = new DeviceMessage();
            events.addEvent(t, type, value);
            device.sendEvents(events);
        }

        private boolean seesViolation(GeoPoint observed, long t) {
            for (ZoneSpec z : subject.zones()) {
                if (z.activeAt(t, subject.city().timeZone()) && z.violationDepthMetres(observed) > 0) {
                    return true;
                }
            }
            return false;
        }
    }
}
