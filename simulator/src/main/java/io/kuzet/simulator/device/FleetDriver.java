package io.kuzet.simulator.device;

import io.kuzet.protocol.DeviceEventType;
import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.simulator.fleet.Detours;
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
 *
 * <p>Devices obey the server's commands ({@link DeviceCommands}): a commanded interval replaces the order's until the
 * next login, "locate now" sends a fix at the next step, and a vibration near an exclusion zone makes the subject turn
 * back with {@link #turningBack the configured probability} (recorded in {@link Detours}, which ground truth reads).
 */
public final class FleetDriver implements AutoCloseable {
    private static final long HEARTBEAT_EVERY_MS = 300_000;
    private static final double COVERAGE_GAPS_PER_DAY = 0.05;
    private static final double TAMPERS_PER_DAY = 0.002;

    /** A vibration counts as an approach warning when the subject is at most this far outside an exclusion zone. */
    private static final double WARNED_WITHIN_METRES = 600;
    /** The subject waits until the routine's path is this far outside the zone again. */
    private static final double CLEAR_OF_ZONE_METRES = 400;
    private static final long TURN_BACK_LOOKAHEAD_MS = 12 * 3_600_000L;

    private final List<DeviceState> devices = new ArrayList<>();
    private final Consumer<SentFix> sentFixes;
    private long fixesSent;
    private boolean onBoardZones = true;
    private double turnBackProbability;
    private Detours detours = new Detours();
    private final java.util.concurrent.atomic.AtomicLong commandsObeyed = new java.util.concurrent.atomic.AtomicLong();
    private long warningsFelt;
    private long turnedBack;

    public FleetDriver(Fleet fleet, DeviceClientGroup group, Consumer<SentFix> sentFixes) {
        this(fleet, s -> group.newBracelet(s.braceletNumber(), s.braceletKey()), sentFixes);
    }

    /** A driver whose bracelets come from {@code bracelets} (e.g. GT06 or Watch devices for the quality run). */
    public FleetDriver(Fleet fleet, java.util.function.Function<SimSubject, Bracelet> bracelets, Consumer<SentFix> sentFixes) {
        this.sentFixes = sentFixes;
        for (SimSubject s : fleet.subjects()) {
            DeviceState d = new DeviceState(s, bracelets.apply(s), fleet.seed(), fleet.startMs());
            devices.add(d);
        }
    }

    /**
     * Bracelets without their own geofence: they report at the order's (or the commanded) interval only, as GT06 and
     * Watch trackers do; by default a bracelet reports every 15 s while it sees itself in a zone violation.
     */
    public FleetDriver withoutOnBoardZones() {
        onBoardZones = false;
        return this;
    }

    /** A warned subject near an exclusion zone turns back with {@code probability}; the detours go into {@code into}. */
    public FleetDriver turningBack(double probability, Detours into) {
        this.turnBackProbability = probability;
        this.detours = into;
        return this;
    }

    /** Commands the devices carried out (interval, locate now, vibrate). */
    public long commandsObeyed() {
        return commandsObeyed.get();
    }

    /** Vibrations felt while near an exclusion zone, and how many of those subjects turned back. */
    public long warningsFelt() {
        return warningsFelt;
    }

    public long turnedBack() {
        return turnedBack;
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

    private final class DeviceState implements DeviceCommands {
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
        private final SplittableRandom turnBackRandom;
        private volatile int commandedIntervalS;          // 0: the order's interval
        private volatile boolean locateRequested;
        private final java.util.concurrent.atomic.AtomicInteger vibrations = new java.util.concurrent.atomic.AtomicInteger();
        private int vibrationsSeen;
        private int intervalInUseS;
        private long lastReportMs = Long.MIN_VALUE;

        DeviceState(SimSubject subject, Bracelet device, long seed, long startMs) {
            this.subject = subject;
            this.device = device;
            this.random = new SplittableRandom(seed ^ subject.braceletNumber() * 0x9E3779B97F4A7C15L);
            this.gps = new GpsErrorModel(random.nextLong(), subject.accuracyReporting());
            this.battery = new BatteryModel(60 + random.nextInt(40), startMs);
            this.nextReportMs = startMs + random.nextLong(subject.reportingIntervalS() * 1000L);
            this.nextHeartbeatMs = startMs + random.nextLong(HEARTBEAT_EVERY_MS);
            this.nextDayMs = startMs;
            // its own stream, so the same fleet moves the same way with and without warnings until someone turns back
            this.turnBackRandom = new SplittableRandom(seed ^ subject.braceletNumber() * 0xD1B54A32D192ED03L);
            device.obey(this);
        }

        @Override
        public void setReportingInterval(int seconds) {
            commandedIntervalS = seconds;
            if (seconds > 0) {
                commandsObeyed.incrementAndGet();   // 0 is a login putting the order's interval back, not a command
            }
        }

        @Override
        public void locateNow() {
            locateRequested = true;
            commandsObeyed.incrementAndGet();
        }

        @Override
        public void vibrate(int millis) {
            vibrations.incrementAndGet();
            commandsObeyed.incrementAndGet();
        }

        private int intervalS() {
            return commandedIntervalS > 0 ? commandedIntervalS : subject.reportingIntervalS();
        }

        void step(long t) throws Exception {
            if (t >= nextDayMs) {
                planDay(t);
            }
            battery.advanceTo(t);
            int localHour = java.time.Instant.ofEpochMilli(t).atZone(subject.city().timeZone()).getHour();
            int felt = vibrations.get();
            if (felt != vibrationsSeen) {
                vibrationsSeen = felt;
                onWarned(t);
            }
            TruthSample truth = detours.sample(subject, t);
            boolean atHome = "home".equals(truth.activity());
            battery.setCharging(atHome && localHour >= 21 && chargesToday);
            if (battery.empty()) {
                return; // off: nothing measured, nothing sent
            }
            if (!connected && t >= offlineUntilMs) {
                device.connect().get(10, TimeUnit.SECONDS);
                connected = true;
            }
            int interval = intervalS();
            if (interval != intervalInUseS) {
                // a new interval applies from the last fix (a shorter one at once, a longer one at the next report)
                intervalInUseS = interval;
                if (lastReportMs != Long.MIN_VALUE) {
                    nextReportMs = Math.min(nextReportMs, lastReportMs + interval * 1000L);
                }
            }
            if (locateRequested) {
                locateRequested = false;
                nextReportMs = Math.min(nextReportMs, t);
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
            lastReportMs = t;
            nextReportMs = t + (onBoardZones && valid && seesViolation(observed, t) ? 15_000 : intervalS() * 1000L);
        }

        /**
         * The bracelet vibrated. Near an exclusion zone (outside it, within {@link #WARNED_WITHIN_METRES}) that is an
         * approach warning: with the configured probability the subject turns back, i.e. waits where they are until
         * their routine's path is clear of the zone again, then carries on.
         */
        private void onWarned(long t) {
            GeoPoint here = detours.sample(subject, t).point();
            for (ZoneSpec z : subject.zones()) {
                double depth = z.kind() == ZoneSpec.RuleKind.EXCLUSION ? z.violationDepthMetres(here) : Double.NaN;
                if (!(depth <= 0 && depth > -WARNED_WITHIN_METRES)) {
                    continue;
                }
                warningsFelt++;
                if (turnBackRandom.nextDouble() >= turnBackProbability) {
                    return;
                }
                long until = t;
                while (until < t + TURN_BACK_LOOKAHEAD_MS
                        && z.violationDepthMetres(subject.routine().sample(until).point()) > -CLEAR_OF_ZONE_METRES) {
                    until += 15_000;
                }
                detours.hold(subject.subjectId(), new Detours.Hold(t, until, here, detours.sample(subject, t).sky()));
                turnedBack++;
                return;
            }
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
