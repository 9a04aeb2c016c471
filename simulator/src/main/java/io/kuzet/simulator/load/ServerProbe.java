package io.kuzet.simulator.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Samples what a server on this machine has spent and stored: CPU time of the server process ({@code serverPid}), per thread family, and
 * of its embedded PostgreSQL (the postmaster named in {@code <dataDir>/postgres/postmaster.pid} and its children,
 * {@link ProcessCpu#treeNanos}), and from its {@code /metrics} the positions stored and the storage lag. Either pid
 * may be absent (0 / no data directory): that part then reads 0. Not thread-safe; one per load run.
 */
public final class ServerProbe {
    private final long serverPid;
    private final Path postmasterPidFile;
    private final URI metrics;
    private final String opsToken;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private long postmasterPid;

    /**
     * What the server had spent and stored at one moment. Immutable.
     *
     * @param serverThreadNanos CPU time of the server's live threads by family ({@link ProcessCpu#threadNanosByFamily})
     */
    public record Sample(long atNanos, long serverCpuNanos, long databaseCpuNanos, double positionsStored, double lagEntries,
                         double lagSeconds, Map<String, Long> serverThreadNanos) {
    }

    public ServerProbe(long serverPid, Path serverDataDir, String host, int httpPort, String opsToken) {
        this.serverPid = serverPid;
        this.postmasterPidFile = serverDataDir == null ? null : serverDataDir.resolve("postgres").resolve("postmaster.pid");
        this.metrics = httpPort > 0 ? URI.create("http://" + host + ":" + httpPort + "/metrics") : null;
        this.opsToken = opsToken == null ? "" : opsToken;
    }

    /** The postmaster's pid (read once from its pid file), or 0. */
    public long postmasterPid() {
        if (postmasterPid == 0 && postmasterPidFile != null) {
            try {
                postmasterPid = Long.parseLong(Files.readAllLines(postmasterPidFile, StandardCharsets.US_ASCII).get(0).trim());
            } catch (IOException | RuntimeException e) {
                postmasterPid = 0;
            }
        }
        return postmasterPid;
    }

    public Sample sample() {
        long server = serverPid > 0 ? Math.max(0, ProcessCpu.nanos(serverPid, true)) : 0;
        Map<String, Long> threads = serverPid > 0 ? ProcessCpu.threadNanosByFamily(serverPid) : Map.of();
        long pm = postmasterPid();
        long database = pm > 0 ? Math.max(0, ProcessCpu.treeNanos(pm)) : 0;
        double stored = Double.NaN;
        double lag = Double.NaN;
        double lagSeconds = Double.NaN;
        String text = scrape();
        if (text != null) {
            stored = metric(text, "kuzet_storage_rows_written_total{", "table=\"positions\"");
            lag = metric(text, "kuzet_storage_lag_entries{", "journal=\"positions\"");
            lagSeconds = metric(text, "kuzet_storage_lag_seconds{", "journal=\"positions\"");
        }
        return new Sample(System.nanoTime(), server, database, stored, lag, lagSeconds, threads);
    }

    private String scrape() {
        if (metrics == null) {
            return null;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).GET();
        if (!opsToken.isBlank()) {
            request.header("Authorization", "Bearer " + opsToken);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Value of the first sample line of {@code name} (with its opening brace) that carries {@code label}; NaN if none. */
    static double metric(String text, String name, String label) {
        int from = 0;
        while (true) {
            int at = text.indexOf(name, from);
            if (at < 0) {
                return Double.NaN;
            }
            int end = text.indexOf('\n', at);
            String line = text.substring(at, end < 0 ? text.length() : end);
            from = at + name.length();
            if ((at == 0 || text.charAt(at - 1) == '\n') && line.contains(label)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
    }
}
