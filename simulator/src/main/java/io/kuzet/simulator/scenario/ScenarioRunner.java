package io.kuzet.simulator.scenario;

import io.kuzet.protocol.DeviceEventType;
import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import io.kuzet.protocol.kuzet.KuzetEncoder;
import io.kuzet.server.journal.Protocol;
import io.kuzet.simulator.device.DeviceClientGroup;
import io.kuzet.simulator.device.DeviceKeys;
import io.kuzet.simulator.device.KuzetDevice;
import io.kuzet.simulator.device.DeviceListener;
import io.kuzet.simulator.fleet.ZoneSpec;
import io.kuzet.simulator.gps.AccuracyReporting;
import io.kuzet.simulator.gps.GeoPoint;
import io.kuzet.simulator.gps.GpsErrorModel;
import io.kuzet.simulator.gps.SkyView;
import io.kuzet.simulator.target.InProcessServer;
import io.kuzet.simulator.target.SimClock;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link ScenarioFile} against an in-process server on simulated time: every 5 simulated seconds it applies
 * due actions, lets each device report when its interval (60 s, or 15 s while the device itself sees a violation)
 * is up, waits until every connected device is acked so journal time equals simulated time, and journals a clock
 * tick every 30 simulated seconds. Hours run in seconds. One run at a time per instance; not thread-safe.
 */
public final class ScenarioRunner {
    static final long STEP_MS = 5_000;
    private static final long TICK_EVERY_MS = 30_000;
    private static final long HEARTBEAT_EVERY_MS = 300_000;

    /** Runs {@code scenario} with a fresh server whose data lives in {@code dataDir}. */
    public ScenarioResult run(ScenarioFile scenario, Path dataDir) throws Exception {
        long startMs = Instant.parse(scenario.start).toEpochMilli();
        long endMs = startMs + Durations.toMillis(scenario.duration);
        ScenarioRegistry registry = new ScenarioRegistry(scenario);
        SimClock clock = SimClock.simulated(startMs);
        try (InProcessServer server = InProcessServer.start(dataDir, clock, 0, -1, "", c -> { });
             DeviceClientGroup group = new DeviceClientGroup("127.0.0.1", server.kuzetPort(), 1, 0)) {
            server.provision(registry.snapshot);
            List<Driver> drivers = new ArrayList<>();
            for (ScenarioFile.Subject s : scenario.subjects) {
                KuzetDevice device = group.newDevice(s.device, DeviceKeys.derive(s.device), DeviceListener.NONE);
                drivers.add(new Driver(s, device, registry, startMs, scenario.seed, ZoneId.of(scenario.timeZone)));
            }
            for (Driver d : drivers) {
                d.device.connect().get(10, TimeUnit.SECONDS);
            }
            for (long t = startMs; t <= endMs; t += STEP_MS) {
                clock.advanceTo(t);
                for (Driver d : drivers) {
                    d.step(t);
                }
                for (Driver d : drivers) {
                    d.awaitAcked();
                }
                if ((t - startMs) % TICK_EVERY_MS == 0) {
                    server.tick();
                }
            }
            server.awaitCoreIdle(60_000);
            return new ScenarioResult(scenario.name, server.alerts(), server.journaledMessages(), registry.subjectIds,
                    (long) server.server().ingestMetrics().duplicates(Protocol.KUZET));
        }
    }


    /** One subject's device during a run. */
    private static final class Driver {
        private final ScenarioFile.Subject spec;
        private final KuzetDevice device;
        private final ScriptedTrack track;
        private final List<ZoneSpec> zones;
        private final GpsErrorModel gps;
        private final ZoneId timeZone;
        private final List<ScenarioFile.Action> actions;
        private final List<Long> actionTimes = new ArrayList<>();
        private final ScriptedTrack victimTrack;
        private final double proximityMetres;
        private final DeviceMessage message = new DeviceMessage();
        private int nextAction;
        private int battery;
        private long nextReportMs;
        private long nextHeartbeatMs;
        private long offlineUntilMs = Long.MIN_VALUE;
        private long noFixUntilMs = Long.MIN_VALUE;
        private long silentUntilMs = Long.MIN_VALUE;
        private boolean connected = true;
        private boolean retransmitNext;

        Driver(ScenarioFile.Subject spec, KuzetDevice device, ScenarioRegistry registry, long startMs, long seed, ZoneId timeZone) {
            this.spec = spec;
            this.device = device;
            this.track = new ScriptedTrack(spec.track, startMs, registry.zones);
            this.zones = registry.zonesBySubject.getOrDefault(spec.id, List.of());
            this.gps = new GpsErrorModel(seed * 31 + spec.device, AccuracyReporting.valueOf(spec.accuracy));
            this.timeZone = timeZone;
            this.battery = spec.battery;
            this.actions = new ArrayList<>(spec.actions);
            this.actions.sort(Comparator.comparingLong(a -> Durations.toMillis(a.at)));
            for (ScenarioFile.Action a : actions) {
                actionTimes.add(startMs + Durations.toMillis(a.at));
            }
            this.nextReportMs = startMs;
            this.nextHeartbeatMs = startMs;
            ScriptedTrack victim = null;
            double distance = 0;
            if (spec.proximity != null) {
                ScenarioFile.Subject v = null;
                for (ScenarioFile.Subject candidate : registry.scenarioSubjects) {
                    if (candidate.id.equals(spec.proximity.victim)) {
                        v = candidate;
                    }
                }
                victim = v == null ? null : new ScriptedTrack(v.track, startMs, registry.zones);
                distance = spec.proximity.distanceM;
            }
            this.victimTrack = victim;
            this.proximityMetres = distance;
        }

        void step(long t) throws Exception {
            if (!connected && t >= offlineUntilMs && t >= silentUntilMs) {
                device.connect().get(10, TimeUnit.SECONDS);
                connected = true;
            }
            while (nextAction < actions.size() && actionTimes.get(nextAction) <= t) {
                apply(actions.get(nextAction++), t);
            }
            if (t < silentUntilMs) {
                return;
            }
            if (t >= nextReportMs) {
                report(t);
            }
            if (t >= nextHeartbeatMs) {
                int level = battery;
                device.submitAsync((out, seq) -> KuzetEncoder.writeHeartbeat(out, seq, t, level, 80, false), 0);
                nextHeartbeatMs = t + HEARTBEAT_EVERY_MS;
            }
        }

        private void apply(ScenarioFile.Action a, long t) throws Exception {
            if (a.event != null) {
                DeviceMessage events = new DeviceMessage();
                events.addEvent(t, DeviceEventType.valueOf(a.event), -1);
                device.submitAsync((out, seq) -> KuzetEncoder.writeDeviceEvents(out, seq, events), 0).get(5, TimeUnit.SECONDS);
            } else if (a.battery != null) {
                battery = a.battery;
                nextHeartbeatMs = t;
            } else if (a.commsLoss != null) {
                offlineUntilMs = t + Durations.toMillis(a.commsLoss);
                goOffline();
            } else if (a.noFix != null) {
                noFixUntilMs = t + Durations.toMillis(a.noFix);
            } else if (a.silence != null) {
                silentUntilMs = t + Durations.toMillis(a.silence);
                goOffline();
            } else if (Boolean.TRUE.equals(a.loseAck)) {
                device.loseNextAck();
                retransmitNext = true;
            }
        }

        private void goOffline() throws Exception {
            device.disconnect().get(5, TimeUnit.SECONDS);
            connected = false;
        }

        private void report(long t) throws Exception {
            GeoPoint truth = track.at(t);
            SkyView sky = t < noFixUntilMs ? SkyView.BLOCKED : SkyView.valueOf(spec.sky);
            message.clear();
            Fix fix = message.addFix();
            boolean valid = gps.observe(t, truth, sky, track.speedKmhAt(t), 0, fix);
            if (!connected) {
                fix.flags |= Fix.FLAG_BUFFERED;
            }
            DeviceMessage copy = new DeviceMessage().copyFrom(message);
            device.submitAsync((out, seq) -> KuzetEncoder.writePositionBatch(out, seq, copy), 1).get(5, TimeUnit.SECONDS);
            if (retransmitNext && connected) {
                device.retransmitUnacked();
                retransmitNext = false;
            }
            boolean violating = valid && seesViolation(new GeoPoint(fix.latE7 / 1e7, fix.lonE7 / 1e7), t);
            nextReportMs = t + (violating ? 15_000 : spec.reportingIntervalS * 1000L);
        }

        /** The device's own check (on-device geofence): decides whether to report at the violation rate. */
        private boolean seesViolation(GeoPoint observed, long t) {
            for (ZoneSpec z : zones) {
                if (z.activeAt(t, timeZone) && z.violationDepthMetres(observed) > 0) {
                    return true;
                }
            }
            return victimTrack != null && observed.distanceMetres(victimTrack.at(t)) < proximityMetres;
        }

        void awaitAcked() throws Exception {
            if (connected) {
                CompletableFuture<Long> all = device.allAcked();
                all.get(10, TimeUnit.SECONDS);
            }
        }
    }
}
