package io.kuzet.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kuzet.server.KuzetServer;
import io.kuzet.server.api.alerts.AlertRoutes;
import io.kuzet.server.api.alerts.EscalationJob;
import io.kuzet.server.api.alerts.IncidentReportRoutes;
import io.kuzet.server.api.alerts.ReviewPolicy;
import io.kuzet.server.api.audit.AuditLog;
import io.kuzet.server.api.audit.AuditRoutes;
import io.kuzet.server.api.auth.AuthRoutes;
import io.kuzet.server.api.auth.BootstrapAdmin;
import io.kuzet.server.api.auth.PasswordHasher;
import io.kuzet.server.api.auth.TokenStore;
import io.kuzet.server.api.auth.UserRoutes;
import io.kuzet.server.api.console.ConsoleConfigRoutes;
import io.kuzet.server.api.console.StaticFiles;
import io.kuzet.server.api.handover.HandoverRoutes;
import io.kuzet.server.api.auth.LoginThrottle;
import io.kuzet.server.api.http.HttpExtension;
import io.kuzet.server.api.http.Json;
import io.kuzet.server.api.http.Route;
import io.kuzet.server.api.live.AgencyLiveHub;
import io.kuzet.server.api.reports.ReportRoutes;
import io.kuzet.server.api.subjects.DeviceRoutes;
import io.kuzet.server.api.subjects.RuleRoutes;
import io.kuzet.server.api.subjects.SubjectProfileRoutes;
import io.kuzet.server.api.subjects.SubjectRoutes;
import io.kuzet.server.api.subjects.ZoneRoutes;
import io.kuzet.server.api.tracks.EvidenceRoutes;
import io.kuzet.server.api.tracks.TrackRoutes;
import io.kuzet.server.registry.RegistryRepository;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator API and console as an HTTP extension of the server:
 * {@code KuzetServer.start(config, repository.load(), options.withHttpExtension(new OperatorApi(dataSource, repository, settings)))}.
 * When the server applies it, it creates the bootstrap admin if no user exists, starts the worker pool and the
 * escalation job, registers them to close with the server, and hands the server's one HTTP stack its routes, the
 * token store as authenticator, the console files and the audit of live streams. Thread-safe once applied.
 */
public final class OperatorApi implements Function<KuzetServer, HttpExtension> {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorApi.class);

    private final DataSource dataSource;
    private final RegistryRepository repository;
    private final ApiSettings settings;
    private final Supplier<Instant> clock;
    private final Supplier<Instant> serverClock;
    private volatile EscalationJob escalation;
    private volatile AgencyLiveHub liveHub;
    private volatile List<Route> routes = List.of();
    private volatile java.util.function.BooleanSupplier runsClusterJobs = () -> true;

    public OperatorApi(DataSource dataSource, RegistryRepository repository, ApiSettings settings) {
        this(dataSource, repository, settings, Instant::now);
    }

    /** As above with one clock for everything (tests pass a test clock). */
    public OperatorApi(DataSource dataSource, RegistryRepository repository, ApiSettings settings, Supplier<Instant> clock) {
        this(dataSource, repository, settings, clock, clock);
    }

    /**
     * As above with two clocks: {@code clock} (the wall clock in production) times sessions, login throttling and the
     * audit log; {@code serverClock} is the clock the server detects alerts on, so escalation, SLA due times and the
     * workflow times (acknowledged, resolved, order ended, ...) compare like with like. They differ in the demo, whose
     * simulated time runs ahead of the wall clock: on the wall clock its alerts would never be due.
     */
    public OperatorApi(DataSource dataSource, RegistryRepository repository, ApiSettings settings, Supplier<Instant> clock,
                       Supplier<Instant> serverClock) {
        this.dataSource = dataSource;
        this.repository = repository;
        this.settings = settings;
        this.clock = clock;
        this.serverClock = serverClock;
    }

    /**
     * Runs the scheduled escalation only while {@code gate} says so (several nodes: only on the one that runs the
     * cluster-wide jobs, {@link io.kuzet.server.cluster.ClusterJobs}); {@link #escalateNow} is not gated. Returns this.
     */
    public OperatorApi runScheduledJobsWhen(java.util.function.BooleanSupplier gate) {
        this.runsClusterJobs = gate;
        return this;
    }

    @Override
    public HttpExtension apply(KuzetServer server) {
        PasswordHasher hasher = new PasswordHasher(settings.bcryptCost());
        AuditLog audit;
        try {
            audit = AuditLog.open(server.config().dataDir(), clock, dataSource);
            BootstrapAdmin.ensure(dataSource, hasher, settings.adminPassword(), server.config().dataDir(), audit);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the bootstrap admin: " + e.getMessage(), e);
        }
        TokenStore tokens = new TokenStore(dataSource, settings.tokenLifetime(), clock);
        ApiContext ctx = new ApiContext(dataSource, audit, tokens, hasher, serverClock, server.registry(), repository, server.liveToken());

        AgencyLiveHub hub = server.live();
        liveHub = hub;
        ReviewPolicy review = new ReviewPolicy(settings.reviewSeverity(), settings.escalationSla());
        escalation = new EscalationJob(dataSource, audit, serverClock, review, hub::publish);

        List<Route> routes = new ArrayList<>();
        routes.addAll(new AuthRoutes(ctx, new LoginThrottle(server.meters(), clock)).routes());
        routes.addAll(new UserRoutes(ctx).routes());
        routes.addAll(new SubjectRoutes(ctx).routes());
        routes.addAll(new SubjectProfileRoutes(ctx).routes());
        routes.addAll(new DeviceRoutes(ctx).routes());
        routes.addAll(new ZoneRoutes(ctx).routes());
        routes.addAll(new RuleRoutes(ctx).routes());
        AlertRoutes alerts = new AlertRoutes(ctx, review, hub::publish);
        routes.addAll(alerts.routes());
        routes.addAll(new IncidentReportRoutes(ctx, alerts).routes());
        routes.addAll(new HandoverRoutes(ctx, review).routes());
        routes.addAll(new ReportRoutes(ctx, review).routes());
        routes.addAll(new TrackRoutes(ctx).routes());
        routes.addAll(new EvidenceRoutes(ctx).routes());
        routes.addAll(new AuditRoutes(ctx).routes());
        if (server.commands() != null) {
            routes.addAll(new io.kuzet.server.api.commands.CommandRoutes(ctx, server.commands()).routes());
        }
        routes.addAll(new ConsoleConfigRoutes(settings.tileUrl(), settings.tileAttribution(), serverClock).routes());
        this.routes = List.copyOf(routes);
        StaticFiles files = new StaticFiles();

        AtomicInteger threadNo = new AtomicInteger();
        ThreadPoolExecutor workers = new ThreadPoolExecutor(settings.workerThreads(), settings.workerThreads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.queueCapacity()), r -> {
                    Thread t = new Thread(r, "kuzet-api-" + threadNo.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        server.closeWith(() -> {
            workers.shutdown();
            workers.awaitTermination(5, TimeUnit.SECONDS);
        });
        if (!settings.escalationInterval().isZero()) {
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "kuzet-api-escalation");
                t.setDaemon(true);
                return t;
            });
            long ms = settings.escalationInterval().toMillis();
            timer.scheduleWithFixedDelay(this::escalateQuietly, ms, ms, TimeUnit.MILLISECONDS);
            server.closeWith(timer::shutdownNow);
        }
        LOG.info("operator API and console on the HTTP port ({} routes)", routes.size());
        return new HttpExtension(routes, tokens::authenticate, workers, StaticFiles::handles, files::serve,
                (sub, address) -> audit.append(dataSource, sub.principal(), "live.open", 0, null, Json.object()
                        .put("agencyId", sub.principal().allAgencies() ? "all" : Long.toString(sub.principal().agencyId()))
                        .put("principal", sub.principal().username()).put("kinds", sub.kinds()).put("remoteAddress", address)),
                settings.maxJsonBodyBytes());
    }

    /** Runs escalation now (the scheduled job does this every {@code escalationInterval}). */
    public List<ObjectNode> escalateNow() throws SQLException {
        return escalation.runOnce();
    }

    /** The route table once applied (tests enumerate it, e.g. to prove every mutating route is audited). */
    public List<Route> routes() {
        return routes;
    }

    public AgencyLiveHub liveHub() {
        return liveHub;
    }

    private void escalateQuietly() {
        if (!runsClusterJobs.getAsBoolean()) {
            return;
        }
        try {
            escalation.runOnce();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("escalation run failed: {}", e.toString());
        }
    }
}
