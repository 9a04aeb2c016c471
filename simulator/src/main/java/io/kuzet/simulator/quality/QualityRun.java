package io.kuzet.simulator.quality;

import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertType;
import io.kuzet.simulator.device.DeviceClientGroup;
import io.kuzet.server.journal.Protocol;
import io.kuzet.simulator.device.FleetDriver;
import io.kuzet.simulator.device.LineBracelet;
import io.kuzet.simulator.device.SentFix;
import io.kuzet.simulator.fleet.Detours;
import io.kuzet.simulator.fleet.Fleet;
import io.kuzet.simulator.fleet.FleetFactory;
import io.kuzet.simulator.fleet.RegistryMapping;
import io.kuzet.simulator.fleet.ZoneSpec;
import io.kuzet.server.registry.RegistrySnapshot;
import io.kuzet.simulator.target.CommandOutbox;
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
    /** null: the bracelets' own behaviour (Kuzet reports every 15 s while it sees a violation itself), no comparison. */
    private Boolean commands;
    private double turnBackProbability;
    private double exclusionWarningMetres = 300;
    private double exclusionVisitPerDay = Double.NaN;

    public QualityRun(long seed, int subjects, int days) {
        this(seed, subjects, days, DeviceProtocol.KUZET);
    }

    public QualityRun(long seed, int subjects, int days, DeviceProtocol protocol) {
        this.seed = seed;
        this.subjects = subjects;
        this.days = days;
        this.protocol = protocol;
    }

    /**
     * Adaptive-supervision comparison: bracelets without their own geofence (they report at the order's interval
     * unless commanded) and, with {@code commands}, the core's commands sent to them by the real command service
     * (outbox table in an embedded PostgreSQL, {@link CommandOutbox}; written on the bracelet's connection, answered by
     * it; simulated time waits until each command is written): pursuit at 15 s, a vibration
     * {@code exclusionWarningMetres} before an exclusion zone, charge reminders. A kind the protocol cannot say (GT06
     * cannot vibrate) ends UNSUPPORTED as in production. A warned subject turns back with {@code turnBackProbability}.
     * Run once with and once without commands for the same fleet.
     */
    public QualityRun supervision(boolean commands, double turnBackProbability, double exclusionWarningMetres) {
        this.commands = commands;
        this.turnBackProbability = turnBackProbability;
        this.exclusionWarningMetres = exclusionWarningMetres;
        return this;
    }

    /** Probability per subject-day of a planned visit to the victim's home (the fleet's default otherwise). */
    public QualityRun exclusionVisitPerDay(double p) {
        this.exclusionVisitPerDay = p;
        return this;
    }

    private FleetDriver driver(Fleet fleet, DeviceClientGroup group, InProcessServer server, List<SentFix> sent) {
        FleetDriver driver = plainDriver(fleet, group, server, sent);
        return commands == null ? driver : driver.withoutOnBoardZones();
    }

    private FleetDriver plainDriver(Fleet fleet, DeviceClientGroup group, InProcessServer server, List<SentFix> sent) {
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
        FleetFactory factory = new FleetFactory(seed);
        if (!Double.isNaN(exclusionVisitPerDay)) {
            factory.exclusionVisitPerDay(exclusionVisitPerDay);
        }
        Fleet fleet = factory.create(subjects, startMs, days);
        List<SentFix> sent = Collections.synchronizedList(new ArrayList<>());
        SimClock clock = SimClock.simulated(startMs);
        List<Alert> serverAlerts;
        long fixesSent;
        Detours detours = new Detours();
        long warningsFelt;
        long turnedBack;
        boolean commanding = Boolean.TRUE.equals(commands);
        RegistrySnapshot registry = RegistryMapping.snapshot(fleet, 1, 0, 0, protocol.name().toLowerCase(java.util.Locale.ROOT));
        Map<String, Long> commandRows = Map.of();
        // with commands, the real command service on its outbox table: stored, written to the bracelet, answered
        try (CommandOutbox outbox = commanding ? CommandOutbox.start(dataDir, registry) : null;
             InProcessServer server = InProcessServer.start(dataDir, clock, 0, -1, "", c -> {
                c.ports.gt06 = 0;
                c.ports.watch = 0;
                c.core.exclusionWarningMetres = commands == null ? 0 : exclusionWarningMetres;
            }, outbox == null ? null : outbox.store());
             DeviceClientGroup group = new DeviceClientGroup("127.0.0.1", server.kuzetPort(), 1, 0);
             FleetDriver driver = driver(fleet, group, server, sent).turningBack(turnBackProbability, detours)) {
            server.provision(registry);
            driver.connectAll();
            long nextProgressMs = startMs;
            for (long t = startMs; t < fleet.endMs(); t += STEP_MS) {
                clock.advanceTo(t);
                driver.step(t);
                driver.awaitAcked();
                if ((t - startMs) % TICK_EVERY_MS == 0) {
                    server.tick();
                }
                if (commanding) {
                    server.awaitCommandsSettled(60_000);   // simulated time waits for the commands, as it waits for acks
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
            warningsFelt = driver.warningsFelt();
            turnedBack = driver.turnedBack();
            if (outbox != null) {
                server.awaitCommandsSettled(60_000);
                commandRows = outbox.supervisionCounts();
                progress.accept("quality: supervision commands by step/state " + commandRows);
            }
        }
        List<Episode> episodes = GroundTruth.withValidFixes(GroundTruth.episodes(fleet, detours), sent);
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
        SupervisionFigures supervision = null;
        if (commands != null) {
            double[] clear = clearDelays(episodes, serverAlerts);
            supervision = new SupervisionFigures(commands, turnBackProbability, rows(commandRows, "pursuit-on"),
                    rows(commandRows, "pursuit-off"), rows(commandRows, "warn"), warningsFelt, turnedBack, rows(commandRows, "charge"),
                    significantExclusions(fleet, GroundTruth.episodes(fleet)), significantExclusions(fleet, episodes),
                    clear[0], clear[1]);
        }
        return new QualityReport(protocol.name(), seed, subjects, days, subjectDays, fixesSent, (System.nanoTime() - wallStart) / 1e9,
                QualityScore.score("kuzet", episodes, zoneAlerts, subjectDays),
                QualityScore.score("naive point-in-polygon", episodes, naive, subjectDays), others, supervision);
    }

    /** Supervision commands of this de-duplication step the bracelets carried out (DONE in the outbox). */
    private static long rows(Map<String, Long> byStepAndState, String step) {
        return byStepAndState.getOrDefault(step + "/DONE", 0L);
    }

    private static int significantExclusions(Fleet fleet, List<Episode> episodes) {
        java.util.Set<Long> exclusionRules = new java.util.HashSet<>();
        fleet.subjects().forEach(s -> s.zones().stream().filter(z -> z.kind() == ZoneSpec.RuleKind.EXCLUSION)
                .forEach(z -> exclusionRules.add(z.ruleId())));
        return (int) episodes.stream().filter(e -> exclusionRules.contains(e.ruleId()) && e.significant()).count();
    }

    /**
     * p50 and p95 of the time from the true end of an episode to the clearing of the zone alert raised for it (alert
     * decided at, minus episode end), over significant episodes whose alert cleared: how sharply the end is seen.
     */
    private static double[] clearDelays(List<Episode> episodes, List<Alert> alerts) {
        Map<Long, Alert> raised = new java.util.HashMap<>();
        for (Alert a : alerts) {
            if (a.phase() == Alert.Phase.RAISED) {
                raised.put(a.alertId(), a);
            }
        }
        List<Double> delays = new ArrayList<>();
        for (Alert cleared : alerts) {
            Alert opened = cleared.phase() == Alert.Phase.CLEARED ? raised.get(cleared.alertId()) : null;
            if (opened == null) {
                continue;
            }
            for (Episode e : episodes) {
                if (e.significant() && e.ruleId() == opened.ruleId() && opened.fixTimeMs() >= e.startMs() - QualityScore.BEFORE_MS
                        && opened.fixTimeMs() <= e.endMs() + QualityScore.AFTER_MS) {
                    delays.add(Math.max(0, cleared.detectedAtMs() - e.endMs()) / 1000.0);
                    break;
                }
            }
        }
        delays.sort(Double::compare);
        return new double[] {percentile(delays, 0.5), percentile(delays, 0.95)};
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.isEmpty() ? Double.NaN : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

}
