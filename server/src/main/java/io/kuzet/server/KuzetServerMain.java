package io.kuzet.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kuzet.server.api.ApiSettings;
import io.kuzet.server.api.audit.AuditLog;
import io.kuzet.server.api.http.Json;
import io.kuzet.server.api.OperatorApi;
import io.kuzet.server.cluster.ClusterJobs;
import io.kuzet.server.config.ConfigException;
import io.kuzet.server.config.ConfigLoader;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.ingest.DeviceLedger;
import io.kuzet.server.journal.IngestJournal;
import io.kuzet.server.journal.Journal;
import io.kuzet.server.journal.JournalRetention;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.registry.ProvisioningImporter;
import io.kuzet.server.registry.RegistryRepository;
import io.kuzet.server.store.AlertWriter;
import io.kuzet.server.store.AlertsSource;
import io.kuzet.server.store.ChronicleAlerts;
import io.kuzet.server.store.Database;
import io.kuzet.server.store.DatabaseSettings;
import io.kuzet.server.store.DeviceSequences;
import io.kuzet.server.store.ChroniclePositions;
import io.kuzet.server.store.JournalCheckpoints;
import io.kuzet.server.store.KafkaAlerts;
import io.kuzet.server.store.KafkaPositions;
import io.kuzet.server.store.PositionsSource;
import io.kuzet.server.store.PositionWriter;
import io.kuzet.server.store.RetentionJob;
import io.kuzet.server.store.StorageAgent;
import io.kuzet.server.store.StorageMetrics;
import io.kuzet.server.store.TimeSeriesConversion;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Starts Kuzet: database (embedded PostgreSQL unless {@code database.url} is set, migrated by Flyway), optional
 * provisioning import, registry, server (journal, core, ports, HTTP), storage writer and retention; stops them in
 * reverse order on SIGTERM.
 */
@Command(name = "kuzet", mixinStandardHelpOptions = true, version = "Kuzet 0.1.0",
        description = "Electronic-monitoring server for GPS ankle bracelets.")
public final class KuzetServerMain implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(KuzetServerMain.class);

    @Option(names = {"-c", "--config"}, description = "YAML configuration file (environment variables KUZET_* override it)")
    Path configFile;

    @Option(names = "--provision", description = "YAML provisioning file imported (idempotently) at start")
    Path provisionFile;

    @Option(names = "--data-dir", description = "data directory (journal, embedded database); default ./kuzet-data")
    Path dataDir;

    public static void main(String[] args) {
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
        System.exit(new CommandLine(new KuzetServerMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig config = loadConfig();
        if (config == null) {
            return 2;
        }
        Running running;
        try {
            running = start(config, KuzetServer.Options.defaults());
        } catch (ProvisioningImporter.ProvisioningException e) {
            LOG.error("provisioning file refused, nothing imported: {}", e.getMessage());
            return 3;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "kuzet-shutdown"));
        KuzetServer server = running.server();
        LOG.info("Kuzet is up: Kuzet {} / GT06 {} / Watch {} / console and API http://localhost:{}/ (metrics /metrics, health /health/ready)",
                server.port(Protocol.KUZET), server.port(Protocol.GT06), server.port(Protocol.WATCH), server.httpPort());
        new CountDownLatch(1).await();
        return 0;
    }

    /** The configuration from the file, the environment and the options; null (reported) when it is invalid. */
    private ServerConfig loadConfig() {
        try {
            ServerConfig config = ConfigLoader.load(configFile, System.getenv());
            if (dataDir != null) {
                config.server.dataDir = dataDir.toString();
            }
            if (provisionFile != null) {
                config.server.provisionFile = provisionFile.toString();
            }
            config.validate();
            return config;
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return null;
        }
    }

    /** {@code kuzet convert-to-timescaledb}: turns the plain time-series tables into hypertables (docs/storage.md). */
    @Command(name = "convert-to-timescaledb", mixinStandardHelpOptions = true,
            description = "Converts positions and device_events of a database migrated as plain PostgreSQL into "
                    + "TimescaleDB hypertables, keeping every row. Run with the server stopped.")
    int convertToTimescale() throws Exception {
        ServerConfig config = loadConfig();
        if (config == null) {
            return 2;
        }
        try (Database database = Database.start(databaseSettings(config, config.dataDir().toAbsolutePath()))) {
            long rows = TimeSeriesConversion.convert(database.dataSource());
            LOG.info("positions and device_events are TimescaleDB hypertables ({} positions)", rows);
            return 0;
        }
    }

    /** {@code kuzet export-registry FILE}: the registry in the provisioning format (docs/provisioning.md). */
    @Command(name = "export-registry", mixinStandardHelpOptions = true,
            description = "Writes the registry (agencies, users, subjects, zones, devices, orders, assignments in force) "
                    + "to FILE in the provisioning format; importing it with --provision into an empty database gives the "
                    + "same registry. The file holds password hashes and device keys: keep it like a backup.")
    int exportRegistry(@picocli.CommandLine.Parameters(paramLabel = "FILE") Path file) throws Exception {
        ServerConfig config = loadConfig();
        if (config == null) {
            return 2;
        }
        try (Database database = Database.start(databaseSettings(config, config.dataDir().toAbsolutePath()))) {
            int subjects = new io.kuzet.server.registry.RegistryExporter(database.dataSource()).exportTo(file);
            LOG.info("registry exported to {} ({} subjects)", file, subjects);
            return 0;
        }
    }

    private static DatabaseSettings databaseSettings(ServerConfig config, Path dataDir) {
        return new DatabaseSettings(config.database.url.isBlank() ? null : config.database.url,
                config.database.user, config.database.password, dataDir, config.database.embeddedPort, config.database.poolSize,
                config.storage.positionsRetentionDays, config.storage.compressAfterDays, config.database.embeddedStartTimeoutS,
                config.database.embeddedSettings);
    }

    /** Everything {@link #start} brought up, closed in reverse order. */
    public record Running(Database database, KuzetServer server, StorageAgent storage, ScheduledExecutorService housekeeping,
                          Retention retention)
            implements AutoCloseable {
        @Override
        public void close() {
            housekeeping.shutdownNow();
            storage.close();
            server.close();
            database.close();
        }
    }

    /**
     * The retention tasks the housekeeping thread runs hourly on the wall clock; tests on a simulated clock run them
     * with their own time. Runs must not overlap.
     */
    public record Retention(RetentionJob positions, JournalRetention ingestJournal, JournalRetention alertJournal) {
        /** Positions and device events older than their retention as of {@code now}; returns the rows deleted. */
        public long runPositions(Instant now) throws SQLException {
            return positions.run(now);
        }

        /** Journal files older than their retention as of {@code nowMs} and no longer needed; returns the files deleted. */
        public int runJournals(long nowMs) throws java.io.IOException {
            return ingestJournal.run(nowMs) + alertJournal.run(nowMs);
        }
    }

    /**
     * Before traffic: a journal that ends before the storage checkpoint was lost or restored from an older copy, so the
     * checkpoint moves back onto it (its new records must be stored); the stored device sequences seed the ledger.
     */
    private static void loadDurableState(Database database, Journal journal, DeviceLedger ledger) throws SQLException {
        if (journal instanceof IngestJournal) {
            // Kafka keeps its own offsets per partition (kafka_offsets); only the embedded journal can be lost under them
            long lastIndex = journal.lastIndex();
            long was = JournalCheckpoints.rebaseOntoJournal(database.dataSource(), "positions", lastIndex);
            if (was != JournalCheckpoints.NONE) {
                LOG.warn("the ingest journal ends at index {} but storage had stored up to {}: the journal was lost or restored "
                        + "from an older copy; storage resumes after index {}", lastIndex, was, lastIndex);
            }
        }
        int[] raised = new int[1];
        int rows = DeviceSequences.load(database.dataSource(), (deviceId, sequence) -> {
            if (ledger.seed(deviceId, sequence)) {
                raised[0]++;
            }
        });
        LOG.info("device sequences: {} stored in the database, {} of them beyond what the journal holds", rows, raised[0]);
    }

    /** How often a node checks that it still holds, or tries to take, the cluster jobs lock (docs/scale-out.md). */
    static final long CLUSTER_JOBS_CHECK_MS = 2_000;

    /** This node's name in the logs and in PostgreSQL's pg_stat_activity: the process and host, and the HTTP port. */
    private static String nodeName(ServerConfig config) {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getName() + " http " + config.ports.http;
    }

    /** Brings the whole server up on {@code config}; used by the main and by end-to-end tests. */
    public static Running start(ServerConfig config, KuzetServer.Options options) throws Exception {
        Path dataDir = config.dataDir().toAbsolutePath();
        Database database = Database.start(databaseSettings(config, dataDir));
        java.util.List<AutoCloseable> startedBeforeServer = new java.util.ArrayList<>();
        try {
            AuditLog audit = AuditLog.open(dataDir, Instant::now, database.dataSource());
            if (!config.server.provisionFile.isBlank()) {
                new ProvisioningImporter(database.dataSource(), (c, source, sha256, counts) -> audit.append(c, null,
                        "PROVISIONING_IMPORTED", 0, null, Json.MAPPER.<ObjectNode>valueToTree(counts).put("file", source)
                                .put("sha256", sha256))).importFile(Path.of(config.server.provisionFile));
                LOG.info("provisioning file {} imported", config.server.provisionFile);
            }
            RegistryRepository registryRepository = new RegistryRepository(database.dataSource());
            ApiSettings apiSettings = ApiSettings.defaults().withTiles(config.api.tileUrl, config.api.tileAttribution)
                    .withReviewSeverity(io.kuzet.server.api.alerts.ReviewPolicy.severityFromEnv(config.api.reviewSeverity));
            if (!config.api.adminPassword.isBlank()) {
                apiSettings = apiSettings.withAdminPassword(config.api.adminPassword);
            }
            // several nodes on one database (Kafka): the jobs that write shared state run on one node at a time
            ClusterJobs clusterJobs = config.journal.kind == ServerConfig.JournalKind.KAFKA
                    ? new ClusterJobs(database.dataSource(), nodeName(config), CLUSTER_JOBS_CHECK_MS) : ClusterJobs.single();
            startedBeforeServer.add(clusterJobs);
            KuzetServer.Options withApi = options.httpExtension() != null ? options
                    : options.withHttpExtension(new OperatorApi(database.dataSource(), registryRepository, apiSettings,
                            Instant::now, () -> Instant.ofEpochMilli(options.clockMs().getAsLong()))
                            .runScheduledJobsWhen(clusterJobs::isLeader));
            if (withApi.commandStore() == null) {
                withApi = withApi.withCommandStore(new io.kuzet.server.command.CommandStore(database.dataSource()));
            }
            KuzetServer server = KuzetServer.start(config, registryRepository.load(),
                    withApi.withDurableState((journal, ledger) -> loadDurableState(database, journal, ledger)));
            server.closeWith(clusterJobs.bindTo(server.meters()));
            if (config.journal.kind == ServerConfig.JournalKind.KAFKA) {
                // escalations, operator actions and command changes published on one node reach every node's consoles
                server.closeWith(new io.kuzet.server.api.live.LiveBroadcast(database.dataSource(), server.live()));
            }
            if (server.commands() != null) {
                server.commands().expireOnlyWhen(clusterJobs::isLeader);
            }
            StorageMetrics storageMetrics = new StorageMetrics(server.meters());
            PositionWriter positionWriter = new PositionWriter(database, "positions", storageMetrics, config.storage.asyncCommit);
            AlertWriter alertWriter = new AlertWriter(database.dataSource(), "alerts", storageMetrics);
            boolean kafka = config.journal.kind == ServerConfig.JournalKind.KAFKA;
            // Kafka: every node's writer is a member of the storage consumer groups; they split the topics' partitions
            PositionsSource ingestSource = kafka
                    ? new KafkaPositions(config.kafka, database.dataSource(), positionWriter, storageMetrics)
                            .reportingLagTo(server.kafkaHealth().consumerLag("storage", config.kafka.topic))
                    : new ChroniclePositions(server.journal(), positionWriter);
            AlertsSource alertSource = kafka
                    ? new KafkaAlerts(config.kafka, database.dataSource(), alertWriter, storageMetrics)
                    : new ChronicleAlerts(server.alertJournal(), alertWriter);
            StorageAgent storage = new StorageAgent(ingestSource, alertSource, server.registry(), config.storage.batchMaxRows,
                    config.storage.lingerMs, server.meters(), options.clockMs()).start();
            server.addReadinessCheck("storage", storage::problem);

            ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "kuzet-housekeeping");
                t.setDaemon(true);
                return t;
            });
            RetentionJob positionsRetention = new RetentionJob(database, server.meters()).onRun((now, cutoff, positions, events) ->
                    audit.append(database.dataSource(), null, "RETENTION_RUN", 0, null, Json.object().put("at", now.toString())
                            .put("cutoff", cutoff.toString()).put("positionsDeleted", positions).put("eventsDeleted", events)));
            // never delete what the newest core snapshot needs to be replayed on top of
            JournalRetention ingestRetention = new JournalRetention(dataDir.resolve("journal"), config.journal.retentionDays,
                    () -> server.core().lastSnapshotIndex() < 0 ? storage.positionsCheckpoint()
                            : Math.min(storage.positionsCheckpoint(), server.core().lastSnapshotIndex()));
            // the rules compare the storage backlog with this (ops/prometheus/kuzet-alerts.yml)
            io.micrometer.core.instrument.Gauge.builder("kuzet_journal_retention_seconds", () -> config.journal.retentionDays * 86_400.0)
                    .description("journal.retentionDays in seconds").register(server.meters());
            // Kafka: storage reads the alerts topic, so the local alerts journal is only the core's de-duplication memory
            // and its age alone decides (storage's checkpoint there is a Kafka position, not an index of this journal)
            JournalRetention alertRetention = new JournalRetention(dataDir.resolve("alerts"), config.journal.retentionDays,
                    config.journal.kind == ServerConfig.JournalKind.KAFKA ? () -> Long.MAX_VALUE : storage::alertsCheckpoint);
            Retention retention = new Retention(positionsRetention, ingestRetention, alertRetention);
            housekeeping.scheduleWithFixedDelay(() -> {
                if (!clusterJobs.isLeader()) {
                    return;   // another node applies retention to the shared database
                }
                try {
                    retention.runPositions(Instant.now());
                } catch (Exception e) {
                    LOG.warn("retention run failed; it is retried in an hour", e);
                }
            }, 1, 60, TimeUnit.MINUTES);
            housekeeping.scheduleWithFixedDelay(() -> {
                try {
                    retention.runJournals(System.currentTimeMillis());
                } catch (Exception e) {
                    LOG.warn("journal retention failed; it is retried in an hour", e);
                }
            }, 5, 60, TimeUnit.MINUTES);
            return new Running(database, server, storage, housekeeping, retention);
        } catch (Exception e) {
            for (AutoCloseable started : startedBeforeServer) {
                started.close();
            }
            database.close();
            throw e;
        }
    }
}
