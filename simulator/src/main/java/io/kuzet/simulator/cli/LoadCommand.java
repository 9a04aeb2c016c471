package io.kuzet.simulator.cli;

import io.kuzet.simulator.load.CpuPerFix;
import io.kuzet.simulator.load.LoadFleet;
import io.kuzet.simulator.load.LoadProvisioning;
import io.kuzet.simulator.load.ServerProbe;
import io.kuzet.simulator.load.LoadOptions;
import io.kuzet.simulator.load.LoadResult;
import io.kuzet.simulator.load.LoadRun;
import io.kuzet.simulator.load.ResultFiles;
import io.kuzet.simulator.load.Target;
import io.kuzet.simulator.target.HeapUsage;
import io.kuzet.simulator.target.InProcessServer;
import io.kuzet.simulator.target.SimClock;
import io.kuzet.simulator.target.TempDataDir;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code load}: many devices over many connections; throughput, ack latency, fix-to-alert latency. */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Many Kuzet devices over many connections, as fast as acks allow or at a fixed rate; HdrHistogram ack and "
                + "fix-to-alert latency, JSON result and HTML chart. Remote servers need the devices provisioned with numbers "
                + LoadFleet.FIRST_NUMBER + "+i and keys from DeviceKeys (GT06: IMEIs " + LoadFleet.FIRST_IMEI + "+i).")
public final class LoadCommand implements Callable<Integer> {
    @Mixin
    TargetOptions target;

    @Option(names = "--protocol", defaultValue = "kuzet", description = "kuzet or gt06 (GT06: one fix per frame; default ${DEFAULT-VALUE}).")
    String protocol;

    @Option(names = "--devices", defaultValue = "1000")
    int devices;

    @Option(names = "--duration", defaultValue = "30", description = "Measured seconds (default ${DEFAULT-VALUE}).")
    int durationS;

    @Option(names = "--warmup", defaultValue = "5", description = "Warm-up seconds (default ${DEFAULT-VALUE}).")
    int warmupS;

    @Option(names = "--rate", defaultValue = "0", description = "Positions/s in total; 0 = as fast as acks allow.")
    int rate;

    @Option(names = "--batch", defaultValue = "10", description = "Fixes per POSITION_BATCH (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--window", defaultValue = "4", description = "Unacked messages per device (max 32; default ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--violators", defaultValue = "0.01", description = "Share of devices entering the exclusion zone.")
    double violators;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--out", defaultValue = "target/load", description = "Directory for result.json and chart.html.")
    Path out;

    @Option(names = "--server-pid", defaultValue = "0",
            description = "Pid of the server JVM on this machine: report its CPU time per stored fix (docs/performance.md).")
    long serverPid;

    @Option(names = "--server-data-dir",
            description = "The server's data directory: adds its embedded PostgreSQL (postgres/postmaster.pid and children) to the CPU figures.")
    Path serverDataDir;

    @Option(names = "--ops-token", defaultValue = "", description = "Bearer token for the server's /metrics (http.opsToken), if set.")
    String opsToken;

    @Option(names = "--drain-timeout", defaultValue = "120",
            description = "With --server-pid: seconds to wait after the last send for storage to catch up (default ${DEFAULT-VALUE}).")
    int drainTimeoutS;

    @Option(names = "--write-provisioning",
            description = "Write the load fleet as a provisioning file for `kuzet-server --provision` to this path and exit.")
    Path writeProvisioning;

    @Override
    public Integer call() throws Exception {
        boolean gt06 = "gt06".equals(protocol);
        if (writeProvisioning != null) {
            LoadProvisioning.write(devices, protocol, writeProvisioning);
            System.out.println("load: wrote the provisioning file of " + devices + " " + protocol + " load devices to " + writeProvisioning);
            return 0;
        }
        LoadOptions options = new LoadOptions(protocol, devices, durationS, warmupS, rate, gt06 ? 1 : batch, Math.min(32, window), violators,
                target.clientThreads, target.devicesPerSourceAddress, seed);
        LoadResult result;
        if (target.useInProcess()) {
            try (TempDataDir dir = new TempDataDir("kuzet-load-");
                 InProcessServer server = InProcessServer.start(dir.path(), SimClock.wall(), 0, 0, "", c -> {
                     c.ports.gt06 = gt06 ? 0 : -1;
                     LoadFleet.acceptCompressedFixTime(c);
                 })) {
                server.provision(LoadFleet.registry(devices, protocol));
                int port = gt06 ? server.gt06Port() : server.kuzetPort();
                result = new LoadRun(options, new Target("127.0.0.1", port, server.httpPort(), server.liveToken()))
                        .run(System.out::println, HeapUsage::usedAfterGc);
            }
        } else {
            LoadRun run = new LoadRun(options, new Target(target.host, target.port, target.httpPort, target.token));
            if (serverPid > 0 || serverDataDir != null) {
                run.withCpuProbe(new ServerProbe(serverPid, serverDataDir, target.host, target.httpPort, opsToken), drainTimeoutS);
            }
            result = run.run(System.out::println, null);
        }
        ResultFiles.writeJson(out.resolve("result.json"), result);
        ResultFiles.writeChart(out.resolve("chart.html"), result);
        System.out.printf("load: %,.0f positions/s (%,.0f messages/s) over %.1f s; ack p50 %.2f ms p99 %.2f ms p99.9 %.2f ms max %.2f ms%n",
                result.positionsPerSecond(), result.messagesPerSecond(), result.measuredSeconds(), result.ackLatency().p50Ms(),
                result.ackLatency().p99Ms(), result.ackLatency().p999Ms(), result.ackLatency().maxMs());
        System.out.printf("load: fix-to-alert p50 %.2f ms p99 %.2f ms max %.2f ms (%d alerts timed, %d deciding fixes sent)%n",
                result.fixToAlert().p50Ms(), result.fixToAlert().p99Ms(), result.fixToAlert().maxMs(), result.fixToAlert().count(),
                result.alertsExpected());
        CpuPerFix cpu = result.cpu();
        if (cpu != null) {
            System.out.printf("load: CPU per stored fix %.2f us (server %.2f us + database %.2f us) over %,.0f positions stored in %.1f s "
                            + "(%.1f s drain); server %.2f cores, database %.2f cores; server %.2f us per acked fix while sending; load average %s%n",
                    cpu.totalUs(), cpu.serverUs(), cpu.databaseUs(), cpu.positionsStored(), cpu.windowSeconds(), cpu.drainSeconds(),
                    cpu.serverCores(), cpu.databaseCores(), cpu.serverUsPerAcked(), loadAverage());
            if (!cpu.serverThreads().isEmpty()) {
                StringBuilder threads = new StringBuilder("load: server CPU by thread (cores, us per stored fix):");
                for (CpuPerFix.ThreadShare t : cpu.serverThreads()) {
                    if (t.cores() >= 0.005) {
                        threads.append(String.format(" %s %.3f (%.2f);", t.family(), t.cores(), t.usPerStoredFix()));
                    }
                }
                System.out.println(threads);
            }
        }
        if (result.heapPerIdleDeviceBytes() >= 0) {
            System.out.printf("load: heap per idle connected device (client + server, in-process) %,d bytes%n", result.heapPerIdleDeviceBytes());
        }
        System.out.println("load: wrote " + out.resolve("result.json") + " and " + out.resolve("chart.html"));
        return 0;
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
