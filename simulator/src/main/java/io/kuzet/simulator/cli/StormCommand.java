package io.kuzet.simulator.cli;

import io.kuzet.simulator.load.LoadFleet;
import io.kuzet.simulator.load.ResultFiles;
import io.kuzet.simulator.load.StormResult;
import io.kuzet.simulator.load.StormRun;
import io.kuzet.simulator.load.Target;
import io.kuzet.simulator.target.InProcessServer;
import io.kuzet.simulator.target.SimClock;
import io.kuzet.simulator.target.TempDataDir;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code storm}: N devices buffer M fixes offline and reconnect within a window. */
@Command(name = "storm", mixinStandardHelpOptions = true,
        description = "N devices buffer M fixes each while out of coverage, then reconnect within a window; time to absorb, "
                + "every fix acked once (checked in the journal when in-process).")
public final class StormCommand implements Callable<Integer> {
    @Mixin
    TargetOptions target;

    @Option(names = "--devices", defaultValue = "10000")
    int devices;

    @Option(names = "--fixes", defaultValue = "60", description = "Buffered fixes per device (default ${DEFAULT-VALUE}).")
    int fixes;

    @Option(names = "--window", defaultValue = "30", description = "Reconnect window, seconds (default ${DEFAULT-VALUE}).")
    int windowS;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--out", defaultValue = "target/storm", description = "Directory for result.json.")
    Path out;

    @Override
    public Integer call() throws Exception {
        StormRun run = new StormRun(devices, fixes, windowS, target.clientThreads, target.devicesPerSourceAddress, seed);
        StormResult result;
        if (target.useInProcess()) {
            try (TempDataDir dir = new TempDataDir("kuzet-storm-");
                 InProcessServer server = InProcessServer.start(dir.path(), SimClock.wall(), 0, -1, "", LoadFleet::acceptCompressedFixTime)) {
                server.provision(LoadFleet.registry(devices));
                result = run.run(new Target("127.0.0.1", server.kuzetPort(), -1, ""), server::journaledMessages, System.out::println);
            }
        } else {
            result = run.run(new Target(target.host, target.port, -1, ""), null, System.out::println);
        }
        ResultFiles.writeJson(out.resolve("result.json"), result);
        System.out.printf("storm: %,d devices x %d fixes reconnecting within %d s absorbed in %.2f s (%,.0f fixes/s); acked %,d; "
                        + "journaled %,d, duplicates %d, missing %d -> %s%n", result.devices(), result.fixesPerDevice(), result.reconnectWindowS(),
                result.absorbSeconds(), result.fixesPerSecond(), result.fixesAcked(), result.journaledMessages(), result.duplicates(),
                result.missing(), result.everyFixAckedOnce() ? "every fix acked once" : "FAILED");
        return result.everyFixAckedOnce() ? 0 : 1;
    }
}
