package io.kuzet.simulator.quality;

import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertType;
import io.kuzet.simulator.device.DeviceClientGroup;
import io.kuzet.server.journal.Protocol;
import io.kuzet.simulator.device.FleetDriver;
import io.kuzet.simulator.device.LineBracelet;
import io.kuzet.simulator.device.SentFix;
import io.kuzet.simulator.fleet.Fleet;
import io.kuzet.simulator.fleet.FleetFactory;
import io.kuzet.simulator.fleet.RegistryMapping;
import io.kuzet.simulator.target.InProcessServer;
import io.kuzet.simulator.target.SimClock;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Runs a generated fleet through an in-process server on simulated time (15 s steps, as fast as acks come back;
 * clock ticks every simulated minute) and scores the server's zone alerts and the naive baseline's against ground
 * truth. One run per instance; not thread-safe.
 */
public final class QualityRun {
    static final long STEP_MS = 15_000;
    private static final long TICK_EVERY_MS = 60_000;
    /** A Monday, so the fleet has weekdays and, over a week, a weekend. */
    public static final LocalDate DEFAULT_START = LocalDate.of(2026, 6, 1);

    /** The bracelets' protocol: Kuzet reports accuracy; GT06 and Watch report none (the server estimates it). */
    public enum DeviceProtocol { KUZET, GT06, WATCH }

    private final long seed;
    private final int subjects;
    private final int days;
    private final DeviceProtocol protocol;

    public QualityRun(long seed, int subjects, int days) {
        this(seed, subjects, days, DeviceProtocol.KUZET);
    }

    public QualityRun(long seed, int subjects, int days, DeviceProtocol protocol) {
        this.seed = seed;
        this.subjects = subjects;
        this.days = days;
        this.protocol = protocol;
    }

    private FleetDriver driver(Fleet fleet, DeviceClientGroup group, InProcessServer server, List<SentFix> sent) {
        return switch (protocol) {
            case KUZET -> new FleetDriver(fleet, group, sent::add);
            case GT06 -> new FleetDriver(fleet, s -> group.newLineBracelet(LineBracelet.Kind.GT06, s.braceletNumber(),
                    server.gt06Port()), sent::add);
            case WATCH -> new FleetDriver(fleet, s -> group.newLineBracelet(LineBracelet.Kind.WATCH, s.braceletNumber(),
                    server.server().port(Protocol.WATCH)), sent::add);
        };
    }

    public QualityReport run(Path dataDir, Consumer<String> progress) throws Exception {
        long wallStart = System.nanoTime();
        long startMs = DEFAULT_START.atStartOfDay(ZoneId.of("Asia/Almaty")).toInstant().toEpochMilli();
        Fleet fleet = new FleetFactory(seed).create(subjects, startMs, days);
        List<SentFix> sent = Collections.synchronizedList(new ArrayList<>());
        SimClock clock = SimClock.simulated(startMs);
        List<Alert> serverAlerts;
        long fixesSent;
        try (InProcessServer server = InProcessServer.start(dataDir, clock, 0, -1, "", c -> {
                c.ports.gt06 = 0;
                c.ports.watch = 0;
            });
             DeviceClientGroup group = new DeviceClientGroup("127.0.0.1", server.kuzetPort(), 1, 0);
             FleetDriver driver = driver(fleet, group, server, sent)) {
            server.provision(RegistryMapping.snapshot(fleet, 1, 0, 0, protocol.name().toLowerCase(java.util.Locale.ROOT)));
            driver.connectAll();
            long nextProgressMs = startMs;
            for (long t = startMs; t < fleet.endMs(); t += STEP_MS) {
                clock.advanceTo(t);
                driver.step(t);
                driver.awaitAcked();
                if ((t - startMs) % TICK_EVERY_MS == 0) {
                    server.tick();
                }
                if (t >= nextProgressMs) {
                    progress.accept(String.format("quality: simulated %s, %d fixes sent, %.0f s wall",
                            java.time.Instant.ofEpochMilli(t), driver.fixesSent(), (System.nanoTime() - wallStart) / 1e9));
                    nextProgressMs = t + 6 * 3_600_000L;
                }
            }
            server.awaitCoreIdle(60_000);
            serverAlerts = server.alerts();
            fixesSent = driver.fixesSent();
        }
        List<Episode> episodes = GroundTruth.withValidFixes(GroundTruth.episodes(fleet), sent);
        List<RaisedAlert> zoneAlerts = new ArrayList<>();
        Map<String, Integer> others = new TreeMap<>();
        for (Alert a : serverAlerts) {
            if (a.phase() != Alert.Phase.RAISED) {
                continue;
            }
            if (a.type() == AlertType.EXCLUSION_VIOLATION || a.type() == AlertType.INCLUSION_VIOLATION || a.type() == AlertType.CURFEW_VIOLATION) {
                zoneAlerts.add(new RaisedAlert(a.subjectId(), a.ruleId(), a.fixTimeMs(), a.detectedAtMs()));
            } else {
                others.merge(a.type().name(), 1, Integer::sum);
            }
        }
        List<RaisedAlert> naive = NaiveBaseline.alerts(fleet, sent);
        double subjectDays = fleet.subjectDays();
        return new QualityReport(protocol.name(), seed, subjects, days, subjectDays, fixesSent, (System.nanoTime() - wallStart) / 1e9,
                QualityScore.score("kuzet", episodes, zoneAlerts, subjectDays),
                QualityScore.score("naive point-in-polygon", episodes, naive, subjectDays), others);
    }

}
