package io.kuzet.simulator.target;

import io.kuzet.server.KuzetServer;
import io.kuzet.server.alert.Alert;
import io.kuzet.server.config.ConfigLoader;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.IngestReader;
import io.kuzet.server.journal.IngestRecord;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.registry.RegistrySnapshot;
import io.kuzet.simulator.fleet.Fleet;
import io.kuzet.simulator.fleet.FleetProvisioner;
import io.kuzet.simulator.fleet.RegistryMapping;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A Kuzet server without database, operator API or console in this JVM, for quality, scenarios, serve and in-process
 * load: embedded defaults, the simulator's clock (wall or simulated; with a simulated clock the simulator drives
 * absence timers with {@link #tick}), and provisioning by swapping the registry snapshot. Thread-safe as the server is; close it once.
 */
public final class InProcessServer implements AutoCloseable, FleetProvisioner {
    private final KuzetServer server;
    private final SimClock clock;
    private final ServerConfig config;
    private long registryVersion = 1;

    private InProcessServer(KuzetServer server, SimClock clock, ServerConfig config) {
        this.server = server;
        this.clock = clock;
        this.config = config;
    }

    /**
     * Starts a server on {@code dataDir}. {@code httpPort}/{@code kuzetPort} 0 pick free ports; {@code liveToken}
     * blank generates one. {@code customise} may adjust any other setting before validation.
     */
    public static InProcessServer start(Path dataDir, SimClock clock, int kuzetPort, int httpPort, String liveToken,
                                        Consumer<ServerConfig> customise) throws InterruptedException {
        return start(dataDir, clock, kuzetPort, httpPort, liveToken, customise, null);
    }

    /**
     * {@link #start} with the command service on {@code commands} (a {@link CommandOutbox}'s store; null = none): the
     * core's adaptive supervision then commands the bracelets over their connections, as in production.
     */
    public static InProcessServer start(Path dataDir, SimClock clock, int kuzetPort, int httpPort, String liveToken,
                                        Consumer<ServerConfig> customise, io.kuzet.server.command.CommandStore commands)
            throws InterruptedException {
        ServerConfig config = ConfigLoader.load(null, Map.of());
        config.server.dataDir = dataDir.toString();
        config.server.bindAddress = "127.0.0.1";
        config.ports.kuzet = kuzetPort;
        config.ports.kuzetTls = -1;
        config.ports.gt06 = -1;
        config.ports.watch = -1;
        config.ports.http = httpPort;
        config.live.token = liveToken;
        config.limits.maxConnectionsPerAddress = 1_000_000;
        customise.accept(config);
        config.validate();
        KuzetServer server = KuzetServer.start(config, RegistrySnapshot.empty(), new KuzetServer.Options(clock, !clock.isSimulated())
                .withCommandStore(commands));
        return new InProcessServer(server, clock, config);
    }

    @Override
    public synchronized void provision(Fleet fleet) {
        provision(RegistryMapping.snapshot(fleet, ++registryVersion, 0, 0));
    }

    /** Replaces the registry with {@code snapshot} (its version is taken as is). */
    public synchronized void provision(RegistrySnapshot snapshot) {
        registryVersion = Math.max(registryVersion, snapshot.version());
        server.registry().replace(snapshot);
    }

    public SimClock clock() {
        return clock;
    }

    public ServerConfig config() {
        return config;
    }

    public KuzetServer server() {
        return server;
    }

    public int kuzetPort() {
        return server.port(Protocol.KUZET);
    }

    /** The GT06 port, or -1 when it is disabled (enable it with {@code c.ports.gt06 = 0} in the customiser). */
    public int gt06Port() {
        return config.ports.gt06 < 0 ? -1 : server.port(Protocol.GT06);
    }

    public int httpPort() {
        return server.httpPort();
    }

    public String liveToken() {
        return server.liveToken();
    }

    /** Journals a clock tick at the current simulated time (drives absence timers). */
    public void tick() {
        server.tick(clock.getAsLong());
    }

    /** Journal entries the evaluation core has yet to process. */
    public long coreLagEntries() {
        return server.core().lagEntries();
    }

    /**
     * Waits (parking, at most {@code timeoutMs}) until the evaluation core has processed everything journaled, plus a
     * moment for the last alerts to reach the alert journal.
     */
    public void awaitCoreIdle(long timeoutMs) {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (server.core().lagEntries() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        LockSupport.parkNanos(100_000_000);
    }

    /**
     * For runs on simulated time: waits until the core has processed everything journaled and the command service has
     * stored and written every command the core asked for, so no command is still on its way when time moves on.
     */
    public void awaitCommandsSettled(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (server.core().lagEntries() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(50_000);
        }
        if (server.commands() != null) {
            server.commands().awaitIdle(java.time.Duration.ofMillis(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L)));
        }
    }

    /** Every alert transition in the alert journal, in order. */
    public List<Alert> alerts() {
        List<Alert> out = new ArrayList<>();
        server.alertJournal().readAll((alert, index) -> out.add(alert));
        return out;
    }

    /** Every journaled device message as (device id, sequence, fix count), in journal order. */
    public List<long[]> journaledMessages() {
        List<long[]> out = new ArrayList<>();
        IngestRecord r = new IngestRecord();
        try (IngestReader reader = server.journal().createReader().startAfter(-1)) {
            while (reader.next(r)) {
                if (r.type == IngestRecord.TYPE_DEVICE_MESSAGE) {
                    out.add(new long[] {r.deviceId, r.message.sequence, r.message.fixCount()});
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.close();
    }
}
