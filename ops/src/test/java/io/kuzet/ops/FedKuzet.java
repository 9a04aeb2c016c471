package io.kuzet.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.kuzet.simulator.device.DeviceKeys;
import io.kuzet.simulator.load.LoadFleet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real Kuzet server ({@code server/target/kuzet-server.jar}, embedded PostgreSQL) started once per test JVM,
 * provisioned with {@link #DEVICES} simulator devices, fed once by a short simulator {@code load} run (positions, and
 * exclusion violations so the alert series exist), and then scraped: {@link #exportedSeries()} is what its
 * {@code /metrics} served after that feed. Tests may later stop the server (see {@link #stop()}); the snapshot stays.
 * Closed when the test plan ends. Not thread-safe: tests using it run one at a time.
 *
 * <p>Inject it with {@code @ExtendWith(FedKuzet.Resolver.class)} and a {@code FedKuzet} parameter.
 */
final class FedKuzet implements ExtensionContext.Store.CloseableResource {
    static final int DEVICES = 10;
    static final String LIVE_TOKEN = "ops-live-test-token-0123456789abcdef";
    private static final Path SERVER_JAR = OpsFiles.ROOT.resolve("server/target/kuzet-server.jar");
    static final Path SIMULATOR_JAR = OpsFiles.ROOT.resolve("simulator/target/kuzet-simulator.jar");
    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(90);

    private final Path dataDir;
    private final int httpPort;
    private final int kuzetPort;
    private final ChildProcess server;
    private Set<String> exportedSeries = Set.of();

    /** Resolves {@code FedKuzet} parameters to the one shared instance. */
    static final class Resolver implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == FedKuzet.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                    .getOrComputeIfAbsent(FedKuzet.class, k -> FedKuzet.startAndFeed(), FedKuzet.class);
        }
    }

    private FedKuzet(Path dataDir, int httpPort, int kuzetPort, ChildProcess server) {
        this.dataDir = dataDir;
        this.httpPort = httpPort;
        this.kuzetPort = kuzetPort;
        this.server = server;
    }

    private static FedKuzet startAndFeed() {
        for (Path jar : List.of(SERVER_JAR, SIMULATOR_JAR)) {
            if (!Files.isRegularFile(jar)) {
                fail(jar + " is missing: build it first (mvn -B install -DskipTests -pl server,simulator -am, or run the whole reactor)");
            }
        }
        Path work = ChildProcess.LOG_DIR.resolve("kuzet");
        deleteRecursively(work);
        Path dataDir = work.resolve("data");
        Path provisioning = work.resolve("provisioning.yaml");
        writeProvisioning(provisioning);
        int httpPort = ChildProcess.freePort();
        int kuzetPort = ChildProcess.freePort();
        Map<String, String> env = Map.of(
                "KUZET_PORTS_HTTP", Integer.toString(httpPort),
                "KUZET_PORTS_KUZET", Integer.toString(kuzetPort),
                "KUZET_PORTS_GT06", Integer.toString(ChildProcess.freePort()),
                "KUZET_PORTS_WATCH", Integer.toString(ChildProcess.freePort()),
                "KUZET_PORTS_KUZET_TLS", "-1",
                "KUZET_SERVER_BIND_ADDRESS", "127.0.0.1",
                "KUZET_LIVE_TOKEN", LIVE_TOKEN);
        ChildProcess server = ChildProcess.start("kuzet-server", List.of(ChildProcess.javaBinary(), "-Xmx384m",
                "-Dchronicle.analytics.disable=true", "-jar", SERVER_JAR.toString(),
                "--data-dir", dataDir.toString(), "--provision", provisioning.toString()), env, work);
        FedKuzet kuzet = new FedKuzet(dataDir, httpPort, kuzetPort, server);
        try {
            await("Kuzet /health/ready on port " + httpPort).atMost(STARTUP_LIMIT).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        server.assertAlive();
                        return ChildProcess.httpGetOrNull(kuzet.httpUrl() + "/health/ready") != null;
                    });
            kuzet.feedOnce();
            kuzet.exportedSeries = seriesNames(ChildProcess.httpGetOrNull(kuzet.httpUrl() + "/metrics"));
            return kuzet;
        } catch (RuntimeException | AssertionError e) {
            kuzet.close();
            throw e;
        }
    }

    /** A finite simulator load run to completion: logins, position batches, a share of violators raising alerts. */
    private void feedOnce() {
        ChildProcess feed = simulator("simulator-feed", "--duration", "3", "--warmup", "1", "--rate", "100", "--violators", "0.3");
        try {
            await("simulator feed run").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> !feed.isAlive());
        } finally {
            feed.close();
        }
        String log = feed.tail();
        assertTrue(log.contains("load: wrote"), "the simulator feed run did not finish; " + feed.log() + ":\n" + log);
    }

    /**
     * Starts the simulator's {@code load} mode against this server: {@link #DEVICES} devices sending position
     * batches; {@code extraOptions} override or add options.
     */
    ChildProcess simulator(String name, String... extraOptions) {
        List<String> command = new ArrayList<>(List.of(ChildProcess.javaBinary(), "-Xmx256m", "-jar", SIMULATOR_JAR.toString(),
                "load", "--host", "127.0.0.1", "--port", Integer.toString(kuzetPort), "--http-port", Integer.toString(httpPort),
                "--token", LIVE_TOKEN, "--devices", Integer.toString(DEVICES), "--batch", "5",
                "--out", ChildProcess.LOG_DIR.resolve(name).toString()));
        command.addAll(List.of(extraOptions));
        return ChildProcess.start(name, command, Map.of(), OpsFiles.OPS);
    }

    String httpUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    int httpPort() {
        return httpPort;
    }

    /** Series names (histograms as _bucket/_count/_sum/_max) the server's /metrics served after the feed. */
    Set<String> exportedSeries() {
        return exportedSeries;
    }

    /** Stops the server with SIGTERM, as an operator or a crash would take it away from Prometheus. */
    void stop() {
        close();
    }

    boolean isRunning() {
        return server.isAlive();
    }

    @Override
    public void close() {
        server.close();
        stopOrphanedPostgres();
    }

    /** If the server JVM had to be killed, its embedded PostgreSQL (a daemon, not a child) is still running. */
    private void stopOrphanedPostgres() {
        Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            Optional<ProcessHandle> postgres = ProcessHandle.of(pid)
                    .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
            postgres.ifPresent(p -> {
                p.destroy();
                p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> {
                    p.destroyForcibly();
                    return p;
                }).join();
            });
        } catch (IOException | RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(FedKuzet.class).warn("could not stop the embedded PostgreSQL of {}: {}", dataDir, e.toString());
        }
    }

    static Set<String> seriesNames(String exposition) {
        if (exposition == null) {
            return fail("the server's /metrics did not answer");
        }
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    /** One agency, one exclusion zone (the load fleet's), and per simulator device a subject, an order and an assignment. */
    private static void writeProvisioning(Path file) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("agencies", List.of(Map.of("code", "OPS", "name", "Ops live test", "region", "Almaty")));
        root.put("zones", List.of(Map.of("agency", "OPS", "name", "Republic Square", "kind", "EXCLUSION_AREA", "geojson",
                Map.of("type", "Feature", "properties", Map.of("radius_m", LoadFleet.ZONE_RADIUS_METRES),
                        "geometry", Map.of("type", "Point", "coordinates",
                                List.of(LoadFleet.ZONE_CENTRE.lon(), LoadFleet.ZONE_CENTRE.lat()))))));
        List<Object> subjects = new ArrayList<>();
        List<Object> devices = new ArrayList<>();
        List<Object> orders = new ArrayList<>();
        List<Object> assignments = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            long number = LoadFleet.number(i);
            Map<String, Object> subject = Map.of("agency", "OPS", "externalCaseId", "KZ-OPS-" + i);
            Map<String, Object> device = Map.of("protocol", "kuzet", "number", number);
            subjects.add(Map.of("agency", "OPS", "externalCaseId", "KZ-OPS-" + i, "displayName", "Ops subject " + i));
            devices.add(Map.of("protocol", "kuzet", "number", number, "role", "BRACELET",
                    "secretKey", HexFormat.of().formatHex(DeviceKeys.derive(number))));
            Map<String, Object> order = new LinkedHashMap<>();
            order.put("legalReference", "Ops live test order " + i);
            order.put("subject", subject);
            order.put("kind", "PAROLE");
            order.put("startsAt", "2020-01-01T00:00:00Z");
            order.put("timeZone", "Asia/Almaty");
            order.put("riskLevel", "MEDIUM");
            order.put("rules", List.of(Map.of("name", "Stay away from Republic Square", "kind", "EXCLUSION", "zone", "Republic Square")));
            orders.add(order);
            assignments.add(Map.of("device", device, "subject", subject, "assignedAt", "2020-01-01T00:00:00Z"));
        }
        root.put("subjects", subjects);
        root.put("devices", devices);
        root.put("orders", orders);
        root.put("assignments", assignments);
        try {
            Files.createDirectories(file.getParent());
            new YAMLMapper().writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
