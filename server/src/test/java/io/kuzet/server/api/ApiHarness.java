package io.kuzet.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kuzet.server.KuzetServer;
import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertJournal;
import io.kuzet.server.config.ConfigLoader;
import io.kuzet.server.config.ServerConfig;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.registry.RegistryRepository;
import io.kuzet.server.store.AlertWriter;
import io.kuzet.server.store.Database;
import io.kuzet.server.store.SharedPostgres;
import io.kuzet.server.store.StorageMetrics;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.RunningServer;
import io.kuzet.server.testing.TestClock;
import io.kuzet.server.testing.TestFleet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.queue.ExcerptTailer;

/**
 * A running server with the operator API on the shared embedded PostgreSQL, seeded with {@link TestFleet}'s
 * registry (agency 1 "ALM" with subject 10, order 100, the Kuzet bracelet, the victim-home exclusion zone) plus a
 * second agency 2 "AST" with subject 20, and one user per role: {@code op-alm}, {@code sup-alm}, {@code op-ast},
 * the platform {@code admin}. Alerts reach the database through the storage module's {@link AlertWriter} following
 * the alerts journal, as in production. Time is the server's test clock.
 */
final class ApiHarness implements AutoCloseable {
    static final String PASSWORD = "correct horse battery";
    static final long OTHER_AGENCY = 2;
    static final long OTHER_SUBJECT = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    final TestClock clock = new TestClock(RunningServer.T0);
    final Database db = SharedPostgres.database();
    final KuzetServer server;
    final OperatorApi api;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService alertStorage = Executors.newSingleThreadScheduledExecutor();
    private final RegistryRepository repository;

    ApiHarness(Path dataDir) throws Exception {
        this(dataDir, io.kuzet.server.command.DeviceCommandRequests.NONE);
    }

    /** A harness whose core sends adaptive-supervision commands to {@code commands}. */
    ApiHarness(Path dataDir, io.kuzet.server.command.DeviceCommandRequests commands) throws Exception {
        reset(db);
        repository = new RegistryRepository(db.dataSource());
        ServerConfig config = ConfigLoader.load(null, Map.of());
        config.server.dataDir = dataDir.toString();
        config.server.bindAddress = "127.0.0.1";
        config.ports.kuzet = 0;
        config.ports.kuzetTls = -1;
        config.ports.gt06 = -1;
        config.ports.watch = -1;
        config.ports.http = 0;
        config.live.token = RunningServer.LIVE_TOKEN;
        config.http.liveRevalidateS = 1;
        config.validate();
        api = new OperatorApi(db.dataSource(), repository,
                ApiSettings.defaults().withAdminPassword(PASSWORD).withBcryptCost(4).withEscalationInterval(Duration.ZERO),
                () -> Instant.ofEpochMilli(clock.getAsLong()));
        server = KuzetServer.start(config, repository.load(), new KuzetServer.Options(clock, false).withHttpExtension(api)
                .withCommandStore(new io.kuzet.server.command.CommandStore(db.dataSource())).withCommandRequests(commands));
        followAlertsJournal();
        exec("insert into users (username, password_hash, role, agency_id) values "
                + "('op-alm', '" + hash() + "', 'operator', 1), ('sup-alm', '" + hash() + "', 'supervisor', 1), "
                + "('op-ast', '" + hash() + "', 'operator', 2)");
    }

    /** Empties every table and seeds the two agencies with explicit ids; identities restart above them. */
    private static void reset(Database db) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("truncate device_commands, audit_log, api_tokens, handover_notes, positions, device_events, journal_checkpoints, legal_holds, alert_actions, "
                    + "alerts, schedules, schedule_exceptions, rules, zones, device_assignments, devices, orders, subjects, "
                    + "users, agencies restart identity cascade");
            s.execute("insert into agencies (id, code, name, region) values (1, 'ALM', 'Almaty probation', 'Almaty'),"
                    + " (2, 'AST', 'Astana probation', 'Astana')");
            s.execute("insert into subjects (id, agency_id, external_case_id, display_name) values"
                    + " (10, 1, 'KZ-2026-0001', 'Test Subject'), (20, 2, 'KZ-2026-0002', 'Other Subject')");
            s.execute("insert into orders (id, subject_id, legal_reference, kind, starts_at, time_zone, risk_level) values"
                    + " (100, 10, 'Almaty court 2-123/2026', 'HOUSE_ARREST', '" + TestFleet.ORDER_START + "', 'Asia/Almaty', 'MEDIUM'),"
                    + " (200, 20, 'Astana court 2-9/2026', 'PRE_TRIAL_RESTRICTION', '" + TestFleet.ORDER_START + "', 'Asia/Almaty', 'HIGH')");
            try (var ps = c.prepareStatement("insert into devices (id, protocol, device_number, secret_key, role) values (1000, 'kuzet', ?, ?, 'BRACELET')")) {
                ps.setLong(1, TestFleet.KUZET_NUMBER);
                ps.setBytes(2, TestFleet.KUZET_KEY);
                ps.executeUpdate();
            }
            s.execute("insert into device_assignments (device_id, subject_id, assigned_at) values (1000, 10, '" + TestFleet.ORDER_START + "')");
            s.execute("insert into zones (id, agency_id, name, geojson) values (500, 1, 'Victim home', '"
                    + "{\"type\":\"Feature\",\"properties\":{\"radius_m\":" + TestFleet.ZONE_RADIUS_M + "},"
                    + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[" + TestFleet.ZONE_LON + "," + TestFleet.ZONE_LAT + "]}}')");
            s.execute("insert into rules (id, order_id, name, kind, zone_id) values (5000, 100, 'Stay away from victim home', 'EXCLUSION', 500)");
            for (String table : List.of("agencies", "subjects", "orders", "devices", "zones", "rules")) {
                s.execute("select setval(pg_get_serial_sequence('" + table + "', 'id'), 100000)");
            }
        }
    }

    private String hash() {
        return at.favre.lib.crypto.bcrypt.BCrypt.withDefaults().hashToString(4, PASSWORD.toCharArray());
    }

    private void followAlertsJournal() {
        AlertWriter writer = new AlertWriter(db.dataSource(), "alerts", StorageMetrics.detached());
        AlertJournal journal = server.alertJournal();
        ExcerptTailer[] tailer = new ExcerptTailer[1];
        alertStorage.scheduleWithFixedDelay(() -> {
            if (tailer[0] == null) {
                tailer[0] = journal.createTailer();
            }
            List<Alert> batch = new ArrayList<>();
            long[] last = {-1};
            AlertJournal.readFrom(tailer[0], (a, index) -> {
                batch.add(a);
                last[0] = index;
            }, 500);
            if (!batch.isEmpty()) {
                try {
                    writer.upsert(batch, last[0]);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        }, 20, 20, TimeUnit.MILLISECONDS);
    }

    String base() {
        return "http://127.0.0.1:" + server.httpPort();
    }

    String login(String username) throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/auth/login", null, "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}");
        if (r.statusCode() != 200) {
            throw new AssertionError("login of " + username + " failed: " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).get("token").asText();
    }

    HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(String method, String path, String token, String body, int expectedStatus) throws Exception {
        HttpResponse<String> r = send(method, path, token, body);
        if (r.statusCode() != expectedStatus) {
            throw new AssertionError(method + " " + path + " answered " + r.statusCode() + ", expected " + expectedStatus + ": " + r.body());
        }
        return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }

    /** Walks the Kuzet bracelet 120 m deep into the exclusion zone until the core raises the alert. */
    void walkIntoExclusionZone() throws Exception {
        try (KuzetTestClient device = new KuzetTestClient(server.port(Protocol.KUZET))) {
            if (device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status != 0) {
                throw new AssertionError("device login refused");
            }
            for (int i = 0; i < 16; i++) {
                double north = i < 4 ? 1000 : 80;
                long t = RunningServer.T0 + i * 30_000L;
                clock.set(t);
                device.sendPositions(io.kuzet.server.testing.Fixes.fixAt(t, TestFleet.latNorthOfCentre(north), TestFleet.ZONE_LON, 6));
                device.read();
            }
        }
    }

    /** Walks into the exclusion zone as {@link #walkIntoExclusionZone} does, then out again for five minutes. */
    void walkIntoExclusionZoneAndOut() throws Exception {
        try (KuzetTestClient device = new KuzetTestClient(server.port(Protocol.KUZET))) {
            if (device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status != 0) {
                throw new AssertionError("device login refused");
            }
            for (int i = 0; i < 26; i++) {
                double north = i < 4 || i >= 16 ? 1000 : 80;
                long t = RunningServer.T0 + i * 30_000L;
                clock.set(t + 600_000); // a buffered upload: decided ten minutes after each fix
                device.sendPositions(io.kuzet.server.testing.Fixes.fixAt(t, TestFleet.latNorthOfCentre(north), TestFleet.ZONE_LON, 6));
                device.read();
            }
        }
    }

    /**
     * After {@link #walkIntoExclusionZone}: walks the bracelet back out, 1 km north, until the core clears the
     * violation by itself (the subject left).
     */
    void walkOutOfExclusionZone() throws Exception {
        try (KuzetTestClient device = new KuzetTestClient(server.port(Protocol.KUZET))) {
            if (device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status != 0) {
                throw new AssertionError("device login refused");
            }
            for (int i = 16; i < 40; i++) {
                long t = RunningServer.T0 + i * 30_000L;
                clock.set(t);
                device.sendPositions(io.kuzet.server.testing.Fixes.fixAt(t, TestFleet.latNorthOfCentre(1000), TestFleet.ZONE_LON, 6));
                device.read();
            }
        }
    }

    /**
     * Stores the fixes of {@link #walkIntoExclusionZone} as the storage writer would (the harness runs no position
     * writer): four fixes closing in from 1 km north, then twelve inside the zone, 30 s apart from T0.
     */
    void storeTrackOfTheWalk() throws SQLException {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            Instant t = Instant.ofEpochMilli(RunningServer.T0 + i * 30_000L);
            double north = i < 4 ? 1000 - i * 200 : 80 + i * 3;
            long latE7 = Math.round(TestFleet.latNorthOfCentre(north) * 1e7);
            values.append(i == 0 ? "" : ",").append("(1000, 10, 100, '").append(t).append("', '").append(t).append("', ")
                    .append(latE7).append(", 769450000, ").append(6 + i % 4).append(", 0, ").append(i + 1).append(")");
        }
        exec("insert into positions (device_id, subject_id, order_id, fix_time, received_at, lat_e7, lon_e7, accuracy_m, flags,"
                + " journal_index) values " + values);
    }

    /** Sets subject 10's order risk level (HIGH raises the exclusion violation to CRITICAL) and reloads the registry. */
    void setRiskLevel(String level) throws SQLException {
        exec("update orders set risk_level = '" + level + "' where id = 100");
        reloadRegistry();
    }

    /** Hands the core the registry as the database now holds it (after rows were written by SQL). */
    void reloadRegistry() throws SQLException {
        server.registry().replace(repository.load());
    }

    long scalar(String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    List<String> strings(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Adds a user with {@link #PASSWORD}; agencyId 0 = a platform user. */
    void addUser(String username, String role, long agencyId) throws SQLException {
        exec("insert into users (username, password_hash, role, agency_id) values ('" + username + "', '" + hash() + "', '"
                + role + "', " + (agencyId == 0 ? "null" : Long.toString(agencyId)) + ")");
    }

    void exec(String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() {
        alertStorage.shutdownNow();
        try {
            alertStorage.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
    }
}
