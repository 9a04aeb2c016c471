package io.kuzet.server.store;

import io.kuzet.server.testing.ChildJvm;
import static io.kuzet.server.testing.Fixes.fixAt;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.server.testing.KuzetTestClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole server (embedded PostgreSQL included) in a child JVM is killed with SIGKILL, as the OOM killer would,
 * and started again on the same data directory with no human action: it becomes ready and its stored positions are
 * still there. The embedded postmaster survives its killed parent (pg_ctl daemonises it), so this is what a
 * supervised restart ({@code Restart=on-failure}) meets.
 */
class EmbeddedDatabaseCrashRecoveryTest {
    private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final long T0 = Instant.parse("2026-02-10T10:00:00Z").toEpochMilli();
    private static final double LAT = 43.2767;
    private static final double LON = 76.9286;
    private static final int FIXES = 5;

    @TempDir
    Path dataDir;
    private final List<Process> children = new ArrayList<>();

    @Test
    void serverKilledWithSigkillRestartsUnattendedWithItsStoredPositions() throws Exception {
        Map<String, Integer> ports = startServer();
        storeFixes(ports);
        long postmaster = postmasterPid();

        killJvmOnly();
        Map<String, Integer> restarted = startServer();

        assertReady(restarted);
        assertEquals(FIXES, countPositions(restarted), "positions stored before the kill are still there");
        assertFalse(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false),
                "the old postmaster is gone");
        // The journal (Chronicle Queue, whose table-store lock the killed JVM may have held) takes appends again.
        try (KuzetTestClient device = new KuzetTestClient(restarted.get("kuzet"))) {
            assertEquals(FIXES, device.login(100001, KEY).value, "the server reports what it stored");
            device.startSequenceAt(FIXES + 1);
            device.sendPositions(fixAt(T0 + FIXES * 30_000L, LAT, LON, 6));
            device.read();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> countPositions(restarted) == FIXES + 1);
    }

    @Test
    void leftoverPostmasterIsStoppedWhenNothingElseStoppedIt() throws Exception {
        Map<String, Integer> ports = startServer();
        storeFixes(ports);
        long postmaster = postmasterPid();

        // The JVM and every process it started (the watchdog too) die at once; only the daemonised postmaster is left.
        Process child = children.get(children.size() - 1);
        List<ProcessHandle> tree = new ArrayList<>(child.descendants().toList());
        tree.forEach(ProcessHandle::destroyForcibly);
        child.destroyForcibly().waitFor();
        for (ProcessHandle p : tree) {
            p.onExit().get(10, TimeUnit.SECONDS);
        }
        assertTrue(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false),
                "the postmaster outlives the killed server");
        assertTrue(isPostgres(postmaster));

        Map<String, Integer> restarted = startServer();

        assertReady(restarted);
        assertEquals(FIXES, countPositions(restarted));
        assertFalse(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false),
                "the leftover postmaster was stopped");
        assertTrue(childLogs().contains("is still running on"), "the recovery is logged");
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (Process child : children) {
            child.destroyForcibly().waitFor();
        }
        Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        Optional<ProcessHandle> postmaster = ProcessHandle.of(pid);
        if (postmaster.isPresent() && isPostgres(pid)) {
            new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor();
            try {
                postmaster.get().onExit().get(30, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                postmaster.get().destroyForcibly();
            }
        }
    }

    private Map<String, Integer> startServer() throws Exception {
        Path portsFile = dataDir.resolve("ports");
        Files.deleteIfExists(portsFile);
        List<String> command = ChildJvm.java();
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.kuzet.server.testing.FullServerChildMain",
                dataDir.toString(), Path.of("src/test/resources/provisioning/example.yaml").toAbsolutePath().toString(),
                Long.toString(T0 + 600_000)));
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("child-" + children.size() + ".log").toFile()).start();
        children.add(child);
        await().atMost(Duration.ofSeconds(180)).until(() -> Files.exists(portsFile) || !child.isAlive());
        assertTrue(child.isAlive(), "server died at start:\n" + childLogs());
        Map<String, Integer> ports = new HashMap<>();
        for (String entry : Files.readString(portsFile).trim().split(" ")) {
            String[] kv = entry.split("=");
            ports.put(kv[0], Integer.parseInt(kv[1]));
        }
        return ports;
    }

    private void storeFixes(Map<String, Integer> ports) throws Exception {
        try (KuzetTestClient device = new KuzetTestClient(ports.get("kuzet"))) {
            assertEquals(0, device.login(100001, KEY).status);
            for (int i = 0; i < FIXES; i++) {
                device.sendPositions(fixAt(T0 + i * 30_000L, LAT, LON, 6));
                device.read();
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> countPositions(ports) == FIXES);
    }

    private void killJvmOnly() throws InterruptedException {
        children.get(children.size() - 1).destroyForcibly().waitFor();
    }

    private static boolean isPostgres(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().command()).map(c -> c.endsWith("/postgres")).orElse(false);
    }

    private long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).get(0).trim());
    }

    private static void assertReady(Map<String, Integer> ports) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get("http") + "/health/ready")).build();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    private static long countPositions(Map<String, Integer> ports) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + ports.get("db") + "/postgres", "postgres", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from positions where device_id = "
                     + "(select id from devices where protocol = 'kuzet' and device_number = 100001)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String childLogs() throws IOException {
        StringBuilder logs = new StringBuilder();
        for (int i = 0; i < children.size(); i++) {
            Path log = dataDir.resolve("child-" + i + ".log");
            if (Files.exists(log)) {
                logs.append(Files.readString(log, StandardCharsets.UTF_8));
            }
        }
        return logs.toString();
    }
}
