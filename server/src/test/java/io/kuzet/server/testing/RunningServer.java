package io.kuzet.server.testing;

import io.kuzet.server.KuzetServer;
import io.kuzet.server.config.ConfigLoader;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.IngestReader;
import io.kuzet.server.journal.IngestRecord;
import io.kuzet.server.registry.RegistrySnapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Starts an in-process server on free ports with a test clock and no automatic ticks. */
public final class RunningServer implements AutoCloseable {
    public static final String LIVE_TOKEN = "test-live-token-0123456789abcdef";
    public static final long T0 = 1_780_000_000_000L; // 2026-05-28T20:26:40Z

    public final TestClock clock = new TestClock(T0);
    public final KuzetServer server;
    public final ServerConfig config;

    public RunningServer(Path dataDir, RegistrySnapshot registry) throws InterruptedException {
        this(dataDir, registry, c -> { });
    }

    public RunningServer(Path dataDir, RegistrySnapshot registry, Consumer<ServerConfig> customise) throws InterruptedException {
        this(dataDir, registry, customise, options -> options);
    }

    public RunningServer(Path dataDir, RegistrySnapshot registry, Consumer<ServerConfig> customise,
                         java.util.function.UnaryOperator<KuzetServer.Options> options) throws InterruptedException {
        config = ConfigLoader.load(null, Map.of());
        config.server.dataDir = dataDir.toString();
        config.server.bindAddress = "127.0.0.1";
        config.ports.kuzet = 0;
        config.ports.kuzetTls = -1;
        config.ports.gt06 = 0;
        config.ports.watch = 0;
        config.ports.http = 0;
        config.live.token = LIVE_TOKEN;
        customise.accept(config);
        config.validate();
        server = KuzetServer.start(config, registry, options.apply(new KuzetServer.Options(clock, false)));
    }

    /** Every device-message record in the journal, as (device id, sequence, fix count). */
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
