package io.kuzet.simulator.cli;

import io.kuzet.simulator.load.ResultFiles;
import io.kuzet.simulator.quality.QualityReport;
import io.kuzet.simulator.quality.QualityRun;
import io.kuzet.simulator.quality.QualityScore;
import io.kuzet.simulator.target.TempDataDir;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code quality}: alert precision/recall/delay/false alerts vs ground truth, beside the naive baseline. */
@Command(name = "quality", mixinStandardHelpOptions = true,
        description = "Run a fleet with ground truth on simulated time through an in-process server and score its zone alerts "
                + "against the truth and against a naive point-in-polygon baseline on the same fixes.")
public final class QualityCommand implements Callable<Integer> {
    @Option(names = "--subjects", defaultValue = "50")
    int subjects;

    @Option(names = "--days", defaultValue = "2")
    int days;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--out", defaultValue = "target/quality", description = "Directory for result.json (result-<protocol>.json).")
    Path out;

    @Option(names = "--protocols", defaultValue = "KUZET,GT06,WATCH", split = ",",
            description = "Bracelet protocols, one run each: KUZET (reports accuracy), GT06 and WATCH (report none).")
    List<QualityRun.DeviceProtocol> protocols;

    @Option(names = "--supervision", description = "Adaptive-supervision comparison instead: the same fleet without and with "
            + "the core's commands (pursuit, warnings), bracelets without their own geofence; result-supervision-<protocol>-{off,on}.json.")
    boolean supervision;

    @Option(names = "--turn-back", defaultValue = "0.6", description = "With --supervision: chance a warned subject turns back.")
    double turnBack;

    @Option(names = "--warning-metres", defaultValue = "300", description = "With --supervision: exclusion-zone warning distance.")
    double warningMetres;

    @Option(names = "--visits-per-day", defaultValue = "0.15", description = "Planned visits to the victim's home per subject-day.")
    double visitsPerDay;

    @Override
    public Integer call() throws Exception {
        for (QualityRun.DeviceProtocol protocol : protocols) {
            if (supervision) {
                compareSupervision(protocol);
            } else {
                run(protocol);
            }
        }
        return 0;
    }

    private void compareSupervision(QualityRun.DeviceProtocol protocol) throws Exception {
        for (boolean commands : new boolean[] {false, true}) {
            QualityReport report;
            try (TempDataDir dir = new TempDataDir("kuzet-quality-")) {
                report = new QualityRun(seed, subjects, days, protocol).exclusionVisitPerDay(visitsPerDay)
                        .supervision(commands, turnBack, warningMetres).run(dir.path(), System.out::println);
            }
            String name = protocol.name().toLowerCase(java.util.Locale.ROOT);
            ResultFiles.writeJson(out.resolve("result-supervision-" + name + (commands ? "-on.json" : "-off.json")), report);
            var f = report.supervision();
            QualityScore s = report.server();
            System.out.printf("supervision [%s, commands %s]: %d subjects x %d days; detection delay p50 %.0f s p95 %.0f s (%d/%d "
                            + "significant detected); clearing delay p50 %.0f s p95 %.0f s; pursuits %d; warnings %d (felt near a zone %d, "
                            + "turned back %d); significant exclusion violations %d of %d planned (prevented %.0f %%); charge reminders %d%n",
                    protocol, commands ? "on" : "off", report.subjects(), report.days(), s.delayP50Seconds(), s.delayP95Seconds(),
                    s.significantDetected(), s.significantEpisodes(), f.clearDelayP50Seconds(), f.clearDelayP95Seconds(), f.pursuits(),
                    f.warnings(), f.warningsFelt(), f.turnedBack(), f.exclusionEpisodes(), f.plannedExclusionEpisodes(),
                    100 * f.preventedShare(), f.chargeReminders());
        }
    }

    private void run(QualityRun.DeviceProtocol protocol) throws Exception {
        QualityReport report;
        try (TempDataDir dir = new TempDataDir("kuzet-quality-")) {
            report = new QualityRun(seed, subjects, days, protocol).run(dir.path(), System.out::println);
        }
        ResultFiles.writeJson(out.resolve(protocol == QualityRun.DeviceProtocol.KUZET ? "result.json"
                : "result-" + protocol.name().toLowerCase(java.util.Locale.ROOT) + ".json"), report);
        System.out.printf("quality [%s]: %d subjects x %d days (%.0f subject-days), %,d fixes, %.1f s wall%n", protocol,
                report.subjects(), report.days(), report.subjectDays(), report.fixesSent(), report.wallSeconds());
        print(report.server());
        print(report.naiveBaseline());
        System.out.printf("quality [%s]: false alerts per subject-day %.1fx lower than the naive baseline; other alerts %s%n",
                protocol, report.falseAlertReductionFactor(), report.otherAlertsRaised());
    }

    private static void print(QualityScore s) {
        System.out.printf("  %-24s alerts %4d  true %4d  false %4d  precision %5.1f %%  recall (>50 m, >2 min, observable) %d/%d = %5.1f %% (+%d unobservable)  "
                        + "recall (all) %d/%d  delay p50 %.0f s p95 %.0f s  false/subject-day %.3f%n", s.method(), s.alerts(), s.trueAlerts(),
                s.falseAlerts(), 100 * s.precision(), s.significantDetected(), s.significantEpisodes(), 100 * s.recallSignificant(), s.significantUnobservable(),
                s.allDetected(), s.allEpisodes(), s.delayP50Seconds(), s.delayP95Seconds(), s.falseAlertsPerSubjectDay());
    }
}
