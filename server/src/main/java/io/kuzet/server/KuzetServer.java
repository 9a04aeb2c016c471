package io.kuzet.server;

import io.kuzet.protocol.kuzet.KuzetFrameDecoder;
import io.kuzet.server.alert.AlertJournal;
import io.kuzet.server.command.CommandService;
import io.kuzet.server.command.CommandStore;
import io.kuzet.server.command.DeviceCommandRequests;
import io.kuzet.server.config.SecretFile;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.core.AlertEmitter;
import io.kuzet.server.core.CoreMetrics;
import io.kuzet.server.core.EvaluationAgent;
import io.kuzet.server.core.GeofenceZoneStage;
import io.kuzet.server.core.TickSource;
import io.kuzet.server.http.HealthCheck;
import io.kuzet.server.http.HttpServer;
import io.kuzet.server.http.OpsRoutes;
import io.kuzet.server.api.http.ApiDispatcher;
import io.kuzet.server.api.http.Authenticator;
import io.kuzet.server.api.http.HttpExtension;
import io.kuzet.server.api.http.HttpFrontDoor;
import io.kuzet.server.api.http.Route;
import io.kuzet.server.api.http.Router;
import io.kuzet.server.api.live.AgencyLiveHub;
import io.kuzet.server.api.live.LiveAudit;
import io.kuzet.server.api.live.LiveSubscription;
import io.kuzet.server.ingest.BackpressureGate;
import io.kuzet.server.ingest.ConnectionGuard;
import io.kuzet.server.ingest.DeviceLedger;
import io.kuzet.server.ingest.DevicePorts;
import io.kuzet.server.ingest.IngestContext;
import io.kuzet.server.ingest.IngestService;
import io.kuzet.server.ingest.Transport;
import io.kuzet.server.ingest.gt06.Gt06Pipeline;
import io.kuzet.server.ingest.kuzet.KuzetSessionHandler;
import io.kuzet.server.ingest.proxy.ProxyProtocol;
import io.kuzet.server.ingest.watch.WatchPipeline;
import io.kuzet.server.journal.Durability;
import io.kuzet.server.journal.FsyncGroupCommit;
import io.kuzet.server.journal.IngestJournal;
import io.kuzet.server.journal.Journal;
import io.kuzet.server.journal.JournalFailStop;
import io.kuzet.server.journal.ProcessDurability;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.metrics.IngestMetrics;
import io.kuzet.server.metrics.JournalDiskMetrics;
import io.kuzet.server.registry.RegistryHolder;
import io.kuzet.server.registry.RegistrySnapshot;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assembled server: journal, evaluation core, device ports, HTTP. {@link #start} brings it up in dependency
 * order (journal → ledger rebuild and core replay → ports), {@link #close} takes it down in reverse.
 */
public final class KuzetServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KuzetServer.class);

    private final ServerConfig config;
    private final PrometheusMeterRegistry prometheus;
    private final Journal journal;
    private final AlertJournal alertJournal;
    private final EvaluationAgent core;
    private final RegistryHolder registry;
    private final AgencyLiveHub live;
    private final AutoCloseable liveFeed;       // Kafka: the alerts topic into the live hub; null in chronicle mode
    private final IngestContext ingestContext;
    private final DeviceLedger ledger;
    private final io.kuzet.server.journal.kafka.KafkaLedgerFeed ledgerFeed;   // null with the embedded journal
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final DevicePorts ports;
    private final HttpServer http;
    private final Router httpRouter;
    private final TickSource ticks;
    private final String liveToken;
    private final Map<String, HealthCheck> readiness;
    private final List<AutoCloseable> extras = new ArrayList<>();
    private final CommandService commands;      // null without a command store
    private final io.kuzet.server.journal.kafka.KafkaHealth kafkaHealth;   // journal.kind=kafka only
    private final io.kuzet.server.journal.kafka.KafkaAlertsTopic alertsTopic;        // Kafka mode only
    private final io.kuzet.server.journal.kafka.KafkaCoreSnapshots coreSnapshots;     // Kafka mode only

    /**
     * Options that tests and the simulator set; production uses {@link #defaults()}.
     *
     * @param httpExtension routes, token check and worker pool added to the one HTTP stack (the operator API);
     *                      receives the started server so it can reach the registry, live hub and journals; null = none
     */
    public record Options(LongSupplier clockMs, boolean automaticTicks,
                          java.util.function.Function<KuzetServer, HttpExtension> httpExtension,
                          DurableStateLoader durableState,
                          FsyncGroupCommit.Forcer journalForcer, java.util.function.IntConsumer failStopExit,
                          LongSupplier journalFileClockMs, CommandStore commandStore,
                          DeviceCommandRequests commandRequests) {
        public Options(LongSupplier clockMs, boolean automaticTicks,
                       java.util.function.Function<KuzetServer, HttpExtension> httpExtension, DurableStateLoader durableState,
                       FsyncGroupCommit.Forcer journalForcer, java.util.function.IntConsumer failStopExit,
                       LongSupplier journalFileClockMs) {
            this(clockMs, automaticTicks, httpExtension, durableState, journalForcer, failStopExit, journalFileClockMs, null,
                    null);
        }

        public Options(LongSupplier clockMs, boolean automaticTicks) {
            this(clockMs, automaticTicks, null);
        }

        public Options(LongSupplier clockMs, boolean automaticTicks,
                       java.util.function.Function<KuzetServer, HttpExtension> httpExtension) {
            this(clockMs, automaticTicks, httpExtension, null, FsyncGroupCommit.Forcer.FDATASYNC, JournalFailStop.EXIT_PROCESS, null);
        }

        public static Options defaults() {
            return new Options(System::currentTimeMillis, true, null);
        }

        public Options withHttpExtension(java.util.function.Function<KuzetServer, HttpExtension> extension) {
            return new Options(clockMs, automaticTicks, extension, durableState, journalForcer, failStopExit, journalFileClockMs,
                    commandStore, commandRequests);
        }

        /** Tests: how the journal file is forced in {@code fsync} mode, and what a fail-stop does instead of exiting. */
        public Options withJournalFaults(FsyncGroupCommit.Forcer forcer, java.util.function.IntConsumer exit) {
            return new Options(clockMs, automaticTicks, httpExtension, durableState, forcer, exit, journalFileClockMs,
                    commandStore, commandRequests);
        }

        public Options withDurableState(DurableStateLoader loader) {
            return new Options(clockMs, automaticTicks, httpExtension, loader, journalForcer, failStopExit, journalFileClockMs,
                    commandStore, commandRequests);
        }

        /**
         * The command outbox's table (docs/commands.md); with it the server runs a {@link CommandService}
         * ({@link #commands()}), which is also where the core's adaptive supervision asks for commands; without it
         * devices are never sent commands.
         */
        public Options withCommandStore(CommandStore store) {
            return new Options(clockMs, automaticTicks, httpExtension, durableState, journalForcer, failStopExit,
                    journalFileClockMs, store, commandRequests);
        }

        /**
         * Tests: where the core's adaptive supervision asks for device commands (pursuit, warnings, reminders to charge)
         * instead of the command service; null = the command service when there is a command store, else nothing.
         */
        public Options withCommandRequests(DeviceCommandRequests requests) {
            return new Options(clockMs, automaticTicks, httpExtension, durableState, journalForcer, failStopExit,
                    journalFileClockMs, commandStore, requests);
        }

        /** Tests: the clock that picks the journals' daily files (a test clock rolls days without waiting); null = wall clock. */
        public Options withJournalFileClock(LongSupplier fileClockMs) {
            return new Options(clockMs, automaticTicks, httpExtension, durableState, journalForcer, failStopExit, fileClockMs,
                    commandStore, commandRequests);
        }
    }

    /**
     * Brings in state kept outside the journal (the database's stored device sequences), after the journal is open and
     * the ledger rebuilt from it, before anything is appended or a device port opens.
     */
    @FunctionalInterface
    public interface DurableStateLoader {
        void load(Journal journal, DeviceLedger ledger) throws Exception;
    }

    private KuzetServer(ServerConfig config, RegistrySnapshot initialRegistry, Options options) throws InterruptedException {
        this.config = config;
        Path dataDir = config.dataDir();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dataDir, e);
        }
        prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(prometheus);
        new JvmGcMetrics().bindTo(prometheus);
        new JvmThreadMetrics().bindTo(prometheus);
        new ClassLoaderMetrics().bindTo(prometheus);
        new ProcessorMetrics().bindTo(prometheus);
        new UptimeMetrics().bindTo(prometheus);
        new NettyAllocatorMetrics(PooledByteBufAllocator.DEFAULT).bindTo(prometheus);
        // a Prometheus info metric: a Micrometer gauge named *_info would be exported without the _info suffix
        io.prometheus.metrics.core.metrics.Info.builder().name("kuzet_build_info").help("Kuzet version; always 1")
                .labelNames("version").register(prometheus.getPrometheusRegistry()).addLabelValues(version());

        net.openhft.chronicle.core.time.TimeProvider fileClock = options.journalFileClockMs() == null ? null
                : new JournalFileClock(options.journalFileClockMs());
        boolean kafka = config.journal.kind == ServerConfig.JournalKind.KAFKA;
        if (kafka) {
            // loaded only in this mode, so the Chronicle default never pays for the Kafka client's classes
            kafkaHealth = new io.kuzet.server.journal.kafka.KafkaHealth(config.kafka.bootstrapServers, prometheus);
            try {
                io.kuzet.server.journal.kafka.KafkaJournal kafkaJournal = new io.kuzet.server.journal.kafka.KafkaJournal(
                        config.kafka, cause -> JournalFailStop.stop(cause, options.failStopExit())).reportingLagTo(kafkaHealth);
                extras.add(kafkaJournal.bindProducerMetrics(prometheus));
                journal = kafkaJournal;
            } catch (RuntimeException e) {
                kafkaHealth.close();
                throw e;
            }
        } else {
            kafkaHealth = null;
            Durability.Factory durability = config.journal.durability == ServerConfig.Durability.FSYNC
                    ? FsyncGroupCommit.factory(config.journal.fsyncIntervalMs, options.journalForcer(),
                            cause -> JournalFailStop.stop(cause, options.failStopExit()))
                    : ProcessDurability.FACTORY;
            IngestJournal ingestJournal = new IngestJournal(dataDir.resolve("journal"), durability, fileClock);
            journal = ingestJournal;
            new JournalDiskMetrics(dataDir.resolve("journal")).bindTo(prometheus);
            crashRecoveriesMetric("ingest", ingestJournal.crashRecoveries());
        }
        alertJournal = new AlertJournal(dataDir.resolve("alerts"), AlertJournal.DEFAULT_WINDOW, fileClock);
        crashRecoveriesMetric("alerts", alertJournal.crashRecoveries());
        registry = new RegistryHolder(initialRegistry);

        // Kafka: every node streams every node's alerts, read from the alerts topic rather than its own alerts journal
        live = new AgencyLiveHub(kafka ? null : alertJournal, kafka ? null : (IngestJournal) journal, registry, prometheus,
                TimeUnit.SECONDS.toMillis(config.http.liveRevalidateS), config.http.liveBacklogBytes);
        liveFeed = kafka ? new io.kuzet.server.api.live.KafkaLiveFeed(config.kafka, live, registry) : null;
        commands = options.commandStore() == null ? null
                : new CommandService(options.commandStore(), registry, options.clockMs(), prometheus, config.commands);
        EvaluationAgent[] coreRef = new EvaluationAgent[1];
        CoreMetrics coreMetrics = new CoreMetrics(prometheus, () -> coreRef[0] == null ? 0 : coreRef[0].lagEntries());
        AlertEmitter emitter = new AlertEmitter(alertJournal, coreMetrics);
        emitter.addListener(live);
        DeviceCommandRequests coreCommands = options.commandRequests() != null ? options.commandRequests() : commandRequests();
        final io.kuzet.server.journal.kafka.KafkaEvaluationReader groupReader;
        if (kafka) {
            // several nodes may share the topic: this core evaluates the partitions the evaluation group gives it, with
            // per-partition snapshots on Kafka and its alerts on the alerts topic (docs/scale-out.md)
            var kafkaJournal = (io.kuzet.server.journal.kafka.KafkaJournal) journal;
            groupReader = new io.kuzet.server.journal.kafka.KafkaEvaluationReader(config.kafka, "kuzet-core");
            alertsTopic = new io.kuzet.server.journal.kafka.KafkaAlertsTopic(config.kafka, kafkaJournal.partitions(),
                    cause -> JournalFailStop.stop(cause, options.failStopExit()));
            coreSnapshots = new io.kuzet.server.journal.kafka.KafkaCoreSnapshots(config.kafka);
            core = new EvaluationAgent(journal, groupReader, registry, config.core, emitter, GeofenceZoneStage.FACTORY, coreMetrics)
                    .withCommands(coreCommands).ownPartitions(groupReader, alertsTopic, coreSnapshots);
        } else {
            groupReader = null;
            alertsTopic = null;
            coreSnapshots = null;
            core = new EvaluationAgent(journal, registry, config.core, emitter, GeofenceZoneStage.FACTORY, coreMetrics)
                    .withCommands(coreCommands).withSnapshots(dataDir.resolve("snapshots"));
        }
        // 0 with the embedded journal (no group), so one dashboard and one rule set serve both modes
        io.micrometer.core.instrument.Gauge.builder("kuzet_kafka_partitions_owned",
                        () -> groupReader == null ? 0 : groupReader.ownedCount())
                .tag("consumer", "evaluation").description("ingest partitions this node's consumer owns").strongReference(true)
                .register(prometheus);
        io.micrometer.core.instrument.FunctionCounter.builder("kuzet_kafka_rebalances", this,
                        server -> groupReader == null ? 0 : groupReader.rebalances())
                .tag("consumer", "evaluation").description("consumer group rebalances this node's consumer took part in")
                .register(prometheus);
        registry.reportingIntervalOverride(core.pursuitIntervals()::intervalS);   // a login during a pursuit keeps it
        coreRef[0] = core;
        ledger = new DeviceLedger();
        ledgerFeed = kafka ? new io.kuzet.server.journal.kafka.KafkaLedgerFeed(config.kafka, ledger) : null;
        core.replay();
        if (kafka) {
            // the core reads only its partitions; a device may connect here whatever its partition, so the ledger follows
            // every partition, including the appends other nodes make to the topic, and a login waits until it has
            // caught up with the device's partition (docs/scale-out.md, "The reconnect window"); it also hands the core
            // every victim unit's fixes: proximity rules need them whichever node owns the unit
            ledgerFeed.alsoTo(core.victimFixesFromEveryPartition()::observe);
            ledgerFeed.catchUp();
            ledgerFeed.start();
        } else {
            // the ledger as of the core's position (snapshot + replayed tail), then anything appended since
            core.ledger().copyInto(ledger);
            long scanned = ledger.rebuildAfter((IngestJournal) journal, core.lastProcessedIndex());
            LOG.info("de-duplication ledger restored for {} devices, {} further journal records scanned", core.ledger().size(), scanned);
        }
        core.start();

        IngestMetrics ingestMetrics = new IngestMetrics(prometheus);
        // then the sequences stored beyond the journal (database), so retention or a lost journal locks no device out
        if (options.durableState() != null) {
            try {
                options.durableState().load(journal, ledger);
            } catch (Exception e) {
                throw new IllegalStateException("cannot load the durable device state: " + e.getMessage(), e);
            }
        }
        IngestService ingest = new IngestService(journal, ingestMetrics, config.limits);
        BackpressureGate gate = new BackpressureGate(core::lagEntries, config.limits.backpressureHighWatermark,
                config.limits.backpressureLowWatermark, ingestMetrics);
        ingestContext = new IngestContext(ingest, ledger, registry, ingestMetrics, gate, config.limits, config.deviceTrust,
                options.clockMs());
        ingestContext.ledgerCatchUp(ledgerFeed);

        if (commands != null) {
            ingestContext.commandLink(commands);
            commands.publishTo(live::publish);
        }

        Transport transport = Transport.best();
        boss = transport.newGroup(1, "kuzet-accept");
        workers = transport.newGroup(deviceIoThreads(config.server.ioThreads), "kuzet-io");
        workers.scheduleAtFixedRate(gate::poll, 50, 50, TimeUnit.MILLISECONDS);
        ports = new DevicePorts(transport, boss, workers, config.server.bindAddress);
        bindDevicePorts(ingest);

        if (config.live.token.isBlank()) {
            SecretFile.Secret generated = SecretFile.readOrCreate(dataDir, "live-token", 16);
            liveToken = generated.value();
            if (generated.created()) {
                LOG.info("live alert stream token generated into {} (owner-only; set live.token to choose it)", generated.path());
            }
        } else {
            liveToken = config.live.token;
        }
        readiness = new java.util.concurrent.ConcurrentSkipListMap<>();
        readiness.put("core", () -> core.lagEntries() > config.limits.backpressureHighWatermark
                ? "evaluation core lags " + core.lagEntries() + " journal entries" : null);
        readiness.put("journal", () -> journal.durability().failure() == null ? null
                : "journal append could not be made durable (" + journal.durability().failure().getMessage()
                        + "); acks stopped, exiting for a restart");
        HttpExtension extension = options.httpExtension() == null ? null : options.httpExtension().apply(this);
        List<Route> routes = new ArrayList<>(new OpsRoutes(prometheus, readiness, config.http.opsToken).routes());
        if (extension != null) {
            routes.addAll(extension.routes());
        }
        httpRouter = new Router(routes);
        http = config.ports.http < 0 ? null : startHttp(transport, extension);
        ticks = options.automaticTicks() ? new TickSource(journal, options.clockMs(), config.core.tickIntervalMs) : null;
    }

    /** The one HTTP stack: one router, one front door, the live stream authenticated on its handshake. */
    private HttpServer startHttp(Transport transport, HttpExtension extension) throws InterruptedException {
        byte[] opsLiveToken = liveToken.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Authenticator opsToken = token -> java.security.MessageDigest.isEqual(opsLiveToken,
                token.getBytes(java.nio.charset.StandardCharsets.UTF_8)) ? LiveSubscription.OPS_PRINCIPAL : null;
        Authenticator apiTokens = extension == null ? Authenticator.NONE : extension.authenticator();
        ApiDispatcher dispatcher = extension == null ? new ApiDispatcher(httpRouter, apiTokens, 64 * 1024)
                : new ApiDispatcher(httpRouter, apiTokens, extension.maxJsonBodyBytes(), extension.staticPaths(),
                        extension.staticFiles());
        java.util.concurrent.ExecutorService requestWorkers;
        if (extension != null) {
            requestWorkers = extension.workers();
        } else {
            java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS,
                    new java.util.concurrent.ArrayBlockingQueue<>(64), r -> {
                        Thread t = new Thread(r, "kuzet-http-worker");
                        t.setDaemon(true);
                        return t;
                    });
            extras.add(pool::shutdownNow);
            requestWorkers = pool;
        }
        LiveAudit audit = extension != null && extension.liveAudit() != null ? extension.liveAudit()
                : (sub, address) -> LOG.info("live stream opened by {} from {} (all agencies, {})",
                        sub.principal().username(), address, sub.kinds());
        Authenticator live = opsToken.orElse(apiTokens);
        return new HttpServer(transport, config.http, config.server.bindAddress, config.ports.http, prometheus,
                () -> new HttpFrontDoor(dispatcher, requestWorkers, this.live, live, audit));
    }

    public static KuzetServer start(ServerConfig config, RegistrySnapshot registry, Options options) throws InterruptedException {
        return new KuzetServer(config, registry, options);
    }

    private void bindDevicePorts(IngestService ingest) throws InterruptedException {
        ServerConfig.Limits limits = config.limits;
        ProxyProtocol proxy = config.ports.proxyProtocol
                ? new ProxyProtocol(config.ports.proxyProtocolBalancers(), limits.handshakeTimeoutS, ingestContext.metrics(),
                        new io.kuzet.server.ingest.RateLimitedLog(LoggerFactory.getLogger(ProxyProtocol.class), 10))
                : null;
        if (config.ports.kuzet >= 0) {
            ConnectionGuard guard = guard(Protocol.KUZET);
            ports.bind(Protocol.KUZET, false, config.ports.kuzet, ch -> kuzetPipeline(ch, proxy, guard, ingest, null));
        }
        if (config.ports.kuzetTls >= 0 && !config.tls.certFile.isBlank()) {
            SslContext ssl;
            try {
                ssl = SslContextBuilder.forServer(new File(config.tls.certFile), new File(config.tls.keyFile)).build();
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalStateException("cannot load TLS certificate " + config.tls.certFile + " / key "
                        + config.tls.keyFile + ": " + e.getMessage(), e);
            }
            ConnectionGuard guard = guard(Protocol.KUZET);
            ports.bind(Protocol.KUZET, true, config.ports.kuzetTls, ch -> kuzetPipeline(ch, proxy, guard, ingest, ssl));
        }
        if (config.ports.gt06 >= 0) {
            ConnectionGuard guard = guard(Protocol.GT06);
            ports.bind(Protocol.GT06, false, config.ports.gt06, ch -> {
                installProxy(proxy, ch, Protocol.GT06);
                ch.pipeline().addLast(guard).addLast(new IdleStateHandler(limits.idleTimeoutS, 0, 0));
                Gt06Pipeline.install(ch, ingestContext, ingest, limits.maxFrameBytes);
            });
        }
        if (config.ports.watch >= 0) {
            ConnectionGuard guard = guard(Protocol.WATCH);
            ports.bind(Protocol.WATCH, false, config.ports.watch, ch -> {
                installProxy(proxy, ch, Protocol.WATCH);
                ch.pipeline().addLast(guard).addLast(new IdleStateHandler(limits.idleTimeoutS, 0, 0));
                WatchPipeline.install(ch, ingestContext, ingest, limits.maxFrameBytes);
            });
        }
    }

    private ConnectionGuard guard(Protocol protocol) {
        return new ConnectionGuard(protocol, config.limits.maxConnectionsPerAddress, ingestContext.metrics(),
                new io.kuzet.server.ingest.RateLimitedLog(LoggerFactory.getLogger(ConnectionGuard.class), 10));
    }

    /** With {@code ports.proxyProtocol}, the PROXY header handling goes first (before TLS): null = off. */
    private static void installProxy(ProxyProtocol proxy, SocketChannel ch, Protocol protocol) {
        if (proxy != null) {
            proxy.install(ch, protocol);
        }
    }

    private void kuzetPipeline(SocketChannel ch, ProxyProtocol proxy, ConnectionGuard guard, IngestService ingest, SslContext ssl) {
        installProxy(proxy, ch, Protocol.KUZET);
        if (ssl != null) {
            ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
        }
        KuzetFrameDecoder frames = new KuzetFrameDecoder();
        ch.pipeline().addLast(guard)
                .addLast(new IdleStateHandler(config.limits.idleTimeoutS, 0, 0))
                .addLast(frames)
                .addLast(new KuzetSessionHandler(ingestContext, ingest, frames));
    }

    /** The device ports' event loops: as configured, or one per available core (Netty's own default is two). */
    static int deviceIoThreads(int configured) {
        return configured > 0 ? configured : Runtime.getRuntime().availableProcessors();
    }

    private static String version() {
        String v = KuzetServer.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Appends a clock tick (tests drive absence timers this way when automatic ticks are off). */
    public void tick(long timeMs) {
        journal.appendTick(timeMs);
    }

    public int port(Protocol protocol) {
        return ports.port(protocol);
    }

    public int tlsPort() {
        return ports.tlsPort();
    }

    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    public String liveToken() {
        return liveToken;
    }

    /** The embedded Chronicle journal; only with {@code journal.kind=chronicle} (see {@link #ingestJournal()}). */
    public IngestJournal journal() {
        if (journal instanceof IngestJournal chronicle) {
            return chronicle;
        }
        throw new IllegalStateException("journal.kind is " + config.journal.kind + ", not chronicle");
    }

    /** The ingest journal, whichever kind it is. */
    public Journal ingestJournal() {
        return journal;
    }

    public AlertJournal alertJournal() {
        return alertJournal;
    }

    public EvaluationAgent core() {
        return core;
    }

    /** The command outbox, or null when the server was started without a command store. */
    public CommandService commands() {
        return commands;
    }

    /** Where the evaluation core asks for device commands: the command service, or nothing without one. */
    public DeviceCommandRequests commandRequests() {
        return commands == null ? DeviceCommandRequests.NONE : commands;
    }

    public RegistryHolder registry() {
        return registry;
    }

    public PrometheusMeterRegistry meters() {
        return prometheus;
    }

    /** What ingestion knows per device: stored sequence, de-duplication keys, clock-fault count. */
    public DeviceLedger deviceLedger() {
        return ledger;
    }

    public IngestMetrics ingestMetrics() {
        return ingestContext.metrics();
    }

    public AgencyLiveHub live() {
        return live;
    }

    /** The HTTP route table (ops endpoints, live stream and the operator API's routes). */
    public Router httpRouter() {
        return httpRouter;
    }

    /** True when the HTTP port speaks HTTPS. */
    public boolean httpTls() {
        return http != null && http.tls();
    }

    /** Adds a readiness condition shown on /health/ready (e.g. storage lag). Call before traffic starts. */
    public void addReadinessCheck(String name, HealthCheck check) {
        readiness.put(name, check);
    }

    public ServerConfig config() {
        return config;
    }

    /** The Kafka health metrics (consumers report their lag into it); null unless {@code journal.kind=kafka}. */
    public io.kuzet.server.journal.kafka.KafkaHealth kafkaHealth() {
        return kafkaHealth;
    }

    /** Closes {@code resource} together with the server (after the ports, before the journal). */
    public void closeWith(AutoCloseable resource) {
        extras.add(resource);
    }

    @Override
    public void close() {
        if (ticks != null) {
            ticks.close();
        }
        ports.close();
        if (http != null) {
            http.close();
        }
        if (liveFeed != null) {
            try {
                liveFeed.close();
            } catch (Exception e) {
                LOG.warn("error while closing the live feed", e);
            }
        }
        live.close();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (commands != null) {
            commands.close();
        }
        for (int i = extras.size() - 1; i >= 0; i--) {
            try {
                extras.get(i).close();
            } catch (Exception e) {
                LOG.warn("error while closing {}", extras.get(i), e);
            }
        }
        if (ledgerFeed != null) {
            ledgerFeed.close();
        }
        core.close();   // Kafka: hands the owned partitions over, with their snapshots, before the producers close
        if (alertsTopic != null) {
            alertsTopic.close();
            coreSnapshots.close();
        }
        alertJournal.close();
        if (kafkaHealth != null) {
            kafkaHealth.close();
        }
        journal.close();
        prometheus.close();
    }

    /** Half-created journal files a crash left that this start moved aside (docs/durability.md, crash cases). */
    private void crashRecoveriesMetric(String journalName, int recovered) {
        io.micrometer.core.instrument.Counter.builder("kuzet_journal_crash_recoveries")
                .tag("journal", journalName)
                .description("journal files half-created by a crashed append, moved aside when the server started")
                .register(prometheus).increment(recovered);
    }

    /** Chronicle's clock for choosing the journals' daily files, read from a supplied clock (tests). */
    private record JournalFileClock(LongSupplier clockMs) implements net.openhft.chronicle.core.time.TimeProvider {
        @Override
        public long currentTimeMillis() {
            return clockMs.getAsLong();
        }

        @Override
        public long currentTimeMicros() {
            return clockMs.getAsLong() * 1000;
        }

        @Override
        public long currentTimeNanos() {
            return clockMs.getAsLong() * 1_000_000;
        }
    }
}
