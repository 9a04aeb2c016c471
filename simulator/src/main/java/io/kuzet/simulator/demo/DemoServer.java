package io.kuzet.simulator.demo;

import io.kuzet.server.KuzetServer;
import io.kuzet.server.KuzetServerMain;
import io.kuzet.server.config.ConfigLoader;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.simulator.fleet.Fleet;
import io.kuzet.simulator.target.SimClock;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts the full server for the demo (embedded PostgreSQL under the data directory, migrations, operator API and
 * console, storage writer) on the simulator's clock, with {@code fleet} written as {@value #PROVISIONING_FILE} in the
 * data directory and imported at start (idempotently, so a second start on the same directory is fine). Settings come
 * as for the server itself from an optional configuration file and the {@code KUZET_*} environment (tile server,
 * database, limits, API...); the demo then sets what it owns: data directory, bind address, HTTP and Kuzet v1
 * ports, admin password and provisioning file. Only the Kuzet v1 device port is opened.
 */
public final class DemoServer {
    public static final String PROVISIONING_FILE = "demo-fleet.yaml";

    private DemoServer() {
    }

    /**
     * Starts the server with its configuration file ({@code configFile}, null = none) and environment ({@code KUZET_*}
     * variables). {@code kuzetPort}/{@code httpPort} 0 pick free ports; {@code adminPassword} is the password of the
     * bootstrap {@code admin} user created when the database has no user yet.
     */
    public static KuzetServerMain.Running start(Path configFile, Map<String, String> environment, Path dataDir, Fleet fleet,
                                                SimClock clock, String bindAddress, int kuzetPort, int httpPort,
                                                String adminPassword) throws Exception {
        Path provisioning = dataDir.resolve(PROVISIONING_FILE);
        DemoProvisioning.write(fleet, provisioning);
        ServerConfig config = config(configFile, environment, dataDir, bindAddress, kuzetPort, httpPort, adminPassword);
        config.server.provisionFile = provisioning.toString();
        config.limits.maxConnectionsPerAddress = Math.max(config.limits.maxConnectionsPerAddress, 2 * fleet.subjects().size());
        config.validate();
        return KuzetServerMain.start(config, new KuzetServer.Options(clock, !clock.isSimulated()));
    }

    /** The server's configuration as the file and environment give it, with the demo's own settings on top. */
    static ServerConfig config(Path configFile, Map<String, String> environment, Path dataDir, String bindAddress,
                               int kuzetPort, int httpPort, String adminPassword) {
        ServerConfig config = ConfigLoader.load(configFile, environment);
        config.server.dataDir = dataDir.toString();
        config.server.bindAddress = bindAddress;
        config.ports.kuzet = kuzetPort;
        config.ports.kuzetTls = -1;
        config.ports.gt06 = -1;
        config.ports.watch = -1;
        config.ports.http = httpPort;
        config.api.adminPassword = adminPassword;
        return config.validate();
    }
}
