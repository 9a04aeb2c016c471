package io.kuzet.simulator.cli;

import io.kuzet.simulator.demo.DemoRun;
import io.kuzet.simulator.target.InProcessServer;
import io.kuzet.simulator.target.SimClock;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code demo}: an in-process server on its default ports with a streaming fleet of a few hundred bracelets. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a server (device port 5100, HTTP 8080) and stream a simulated fleet with occasional violations.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--subjects", defaultValue = "300", description = "Bracelets (default ${DEFAULT-VALUE}).")
    int subjects;

    @Option(names = "--speed", defaultValue = "24", description = "Simulated seconds per wall second (default ${DEFAULT-VALUE}).")
    double speed;

    @Option(names = "--kuzet-port", defaultValue = "5100", description = "Device port (default ${DEFAULT-VALUE}).")
    int kuzetPort;

    @Option(names = "--http-port", defaultValue = "8080", description = "HTTP port (default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--data-dir", defaultValue = "./kuzet-data/demo", description = "Server data directory (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--duration", defaultValue = "0", description = "Stop after this many wall seconds; 0 = run until interrupted.")
    long durationS;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Override
    public Integer call() throws Exception {
        try (InProcessServer server = InProcessServer.start(dataDir, SimClock.simulated(System.currentTimeMillis()), kuzetPort, httpPort, "", c -> { })) {
            System.out.println("Kuzet demo server up");
            System.out.println("  device port (Kuzet v1): 127.0.0.1:" + server.kuzetPort());
            System.out.println("  HTTP:                   http://127.0.0.1:" + server.httpPort() + "/  (metrics on /metrics)");
            System.out.println("  live alerts:            ws://127.0.0.1:" + server.httpPort() + "/live?token=" + server.liveToken());
            System.out.println("  data:                   " + dataDir.toAbsolutePath());
            new DemoRun(server, subjects, speed, seed).run(durationS, System.out::println);
        }
        return 0;
    }
}
