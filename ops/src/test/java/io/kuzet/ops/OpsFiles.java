package io.kuzet.ops;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locations of the files under test, resolved from the ops module directory (Surefire's working directory). */
final class OpsFiles {
    static final Path OPS = locateOps();
    static final Path ROOT = OPS.getParent();
    static final Path PROMETHEUS = OPS.resolve("prometheus");
    static final Path ALERT_RULES = PROMETHEUS.resolve("kuzet-alerts.yml");
    static final Path ALERT_TESTS = PROMETHEUS.resolve("kuzet-alerts.test.yml");
    static final Path SCRAPE_CONFIG = PROMETHEUS.resolve("prometheus.yml");
    static final Path COMPOSE_SCRAPE_CONFIG = OPS.resolve("deploy").resolve("prometheus.yml");
    static final Path DASHBOARD = OPS.resolve("grafana").resolve("kuzet-dashboard.json");
    static final Path METRICS_DOC = ROOT.resolve("docs").resolve("metrics.md");
    static final Path OPERATIONS_DOC = ROOT.resolve("docs").resolve("operations.md");

    private OpsFiles() {
    }

    private static Path locateOps() {
        Path dir = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        if (Files.isRegularFile(dir.resolve("prometheus").resolve("kuzet-alerts.yml"))) {
            return dir;
        }
        if (Files.isRegularFile(dir.resolve("ops").resolve("prometheus").resolve("kuzet-alerts.yml"))) {
            return dir.resolve("ops");
        }
        throw new IllegalStateException("cannot find ops/prometheus/kuzet-alerts.yml from " + dir);
    }
}
