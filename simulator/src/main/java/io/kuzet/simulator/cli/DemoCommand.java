package io.kuzet.simulator.cli;

import io.kuzet.server.KuzetServerMain;
import io.kuzet.server.journal.Protocol;
import io.kuzet.simulator.demo.DemoRun;
import io.kuzet.simulator.demo.DemoServer;
import io.kuzet.simulator.fleet.Fleet;
import io.kuzet.simulator.target.SimClock;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: the full server (embedded database, operator API and console) provisioned with a simulated fleet of a
 * few hundred bracelets that streams into it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start the server with its database and console (device port 5100, HTTP 8080), provision a simulated "
                + "fleet and stream it with occasional violations.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--subjects", defaultValue = "300", description = "Bracelets (default ${DEFAULT-VALUE}).")
    int subjects;

    @Option(names = "--speed", defaultValue = "24", description = "Simulated seconds per wall second (default ${DEFAULT-VALUE}).")
    double speed;

    @Option(names = "--kuzet-port", defaultValue = "5100", description = "Device port (default ${DEFAULT-VALUE}).")
    int kuzetPort;

    @Option(names = "--http-port", defaultValue = "8080", description = "HTTP port: console, API, metrics (default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address the ports listen on (default ${DEFAULT-VALUE}).")
    String bindAddress;

    @Option(names = "--data-dir", defaultValue = "./kuzet-data/demo", description = "Server data directory (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--admin-password", defaultValue = "kuzet-demo",
            description = "Password of the console user admin, set when the data directory has no user yet (default ${DEFAULT-VALUE}).")
    String adminPassword;

    @Option(names = "--duration", defaultValue = "0", description = "Stop after this many wall seconds; 0 = run until interrupted.")
    long durationS;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--config", description = "Server configuration file (YAML, as for the server); KUZET_* environment "
            + "variables apply too, e.g. KUZET_API_TILE_URL. The options above win over both.")
    Path configFile;

    @Override
    public Integer call() throws Exception {
        SimClock clock = SimClock.simulated(System.currentTimeMillis());
        Fleet fleet = DemoRun.fleet(seed, subjects, clock.getAsLong(), durationS, speed);
        try (KuzetServerMain.Running running = DemoServer.start(configFile, System.getenv(), dataDir, fleet, clock, bindAddress,
                kuzetPort, httpPort, adminPassword)) {
            String host = bindAddress.equals("0.0.0.0") || bindAddress.equals("127.0.0.1") ? "localhost" : bindAddress;
            System.out.println("Kuzet demo up: " + subjects + " bracelets provisioned (agencies, subjects, orders, zones, devices)");
            System.out.println("  console:                http://" + host + ":" + running.server().httpPort() + "/");
            System.out.println("  login:                  admin / " + adminPassword
                    + "  (the password of the first start on this data directory)");
            System.out.println("  device port (Kuzet v1): " + host + ":" + running.server().port(Protocol.KUZET));
            System.out.println("  metrics:                http://" + host + ":" + running.server().httpPort() + "/metrics");
            System.out.println("  data:                   " + dataDir.toAbsolutePath());
            System.out.println("Alerts appear in the console's live queue within a few minutes; Ctrl-C stops the demo.");
            new DemoRun(running.server(), clock, fleet, speed).run(durationS, System.out::println);
        }
        return 0;
    }
}
