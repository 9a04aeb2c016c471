package io.kuzet.simulator.cli;

import picocli.CommandLine.Option;

/** Where load and storm runs send: an in-process server (default) or a running one. */
public final class TargetOptions {
    @Option(names = "--in-process", description = "Start a server in this JVM (default unless --port is given).")
    boolean inProcess;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server host (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "0", description = "Kuzet device port of a running server.")
    int port;

    @Option(names = "--http-port", defaultValue = "-1", description = "HTTP port of a running server, for the live alert stream.")
    int httpPort;

    @Option(names = "--token", defaultValue = "", description = "Live alert stream token of a running server.")
    String token;

    @Option(names = "--client-threads", defaultValue = "1", description = "Client event loop threads (default ${DEFAULT-VALUE}).")
    int clientThreads;

    @Option(names = "--devices-per-source-address", defaultValue = "200",
            description = "Loopback source addresses 127.0.x.y, one per this many devices (default ${DEFAULT-VALUE}).")
    int devicesPerSourceAddress;

    boolean useInProcess() {
        return inProcess || port <= 0;
    }
}
