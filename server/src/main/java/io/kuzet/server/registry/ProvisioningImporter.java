package io.kuzet.server.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Imports a provisioning YAML file (agencies, users, subjects, zones, devices, orders with rules and schedules,
 * device assignments) in one transaction, idempotently: every row is upserted on its natural key, a rule's schedule
 * is replaced by the file's, and an assignment already in force is left alone. Importing a file twice leaves the same
 * rows. A bad file (unknown field, unknown reference, invalid value) imports nothing.
 *
 * <p>Thread-safe (stateless apart from the data source). Cost: a few statements per entry.
 */
public final class ProvisioningImporter {
    /**
     * Largest file imported (bytes): SnakeYAML's code-point limit (3 MiB by default, refusing 10,000 subjects) is
     * raised to it on purpose. The file is read whole, so the import needs heap of a few times this size; a file of
     * 100,000 subjects with their zones, devices, orders and assignments is about 120 MB (docs/provisioning.md).
     */
    public static final int MAX_FILE_BYTES = 256 * 1024 * 1024;
    /** Rows sent to the database per JDBC batch. */
    static final int BATCH = 1000;
    static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .loaderOptions(loaderOptions()).build())
            .registerModule(new JavaTimeModule())
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final AuditSink audit;

    /** Records each import in the audit log, inside the import's transaction. */
    @FunctionalInterface
    public interface AuditSink {
        /**
         * @param source the file imported
         * @param sha256 hexadecimal SHA-256 of its bytes (identifies exactly what was imported)
         * @param counts entries per section of the file
         */
        void imported(Connection c, String source, String sha256, Map<String, Integer> counts) throws SQLException;
    }

    /** An importer whose runs are not audited (tests of the import itself). */
    public ProvisioningImporter(DataSource dataSource) {
        this(dataSource, null);
    }

    public ProvisioningImporter(DataSource dataSource, AuditSink audit) {
        this.dataSource = dataSource;
        this.audit = audit;
    }

    private static org.yaml.snakeyaml.LoaderOptions loaderOptions() {
        org.yaml.snakeyaml.LoaderOptions options = new org.yaml.snakeyaml.LoaderOptions();
        options.setCodePointLimit(MAX_FILE_BYTES);
        return options;
    }

    /** A file refused: one line naming the entry (e.g. {@code subjects[1234] (externalCaseId KZ-1): unknown agency XYZ}). */
    public static final class ProvisioningException extends IllegalArgumentException {
        ProvisioningException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Imports the file in one transaction, or nothing.
     *
     * @throws ProvisioningException the file is too large, does not parse, or an entry is invalid or refers to
     *                               something missing (the message is one line naming the entry)
     */
    public void importFile(Path yaml) throws IOException, SQLException {
        long size = java.nio.file.Files.size(yaml);
        if (size > MAX_FILE_BYTES) {
            throw new ProvisioningException(yaml + ": " + size + " bytes is more than the " + MAX_FILE_BYTES
                    + " bytes a provisioning file may have; split it into several files", null);
        }
        byte[] bytes = java.nio.file.Files.readAllBytes(yaml);
        ProvisioningFile file;
        try {
            file = YAML.readValue(bytes, ProvisioningFile.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new ProvisioningException(yaml + ": " + describe(e), e);
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Run run = new Run(c)) {
                run.all(file);
                if (audit != null) {
                    audit.imported(c, yaml.toString(), sha256(bytes), counts(file));
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** One line: where in the file (section[index].field, line) and what. */
    private static String describe(com.fasterxml.jackson.core.JacksonException e) {
        StringBuilder where = new StringBuilder();
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m) {
            for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) {
                    where.append(where.isEmpty() ? "" : ".").append(r.getFieldName());
                } else if (r.getIndex() >= 0) {
                    where.append('[').append(r.getIndex()).append(']');
                }
            }
        }
        String line = e.getLocation() == null || e.getLocation().getLineNr() < 0 ? ""
                : " (line " + e.getLocation().getLineNr() + ")";
        String what = e.getOriginalMessage().lines().findFirst().orElse("").strip();
        return (where.isEmpty() ? "" : where + line + ": ") + (where.isEmpty() ? what + line : what);
    }

    private static Map<String, Integer> counts(ProvisioningFile f) {
        Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        counts.put("agencies", Run.list(f.agencies()).size());
        counts.put("users", Run.list(f.users()).size());
        counts.put("subjects", Run.list(f.subjects()).size());
        counts.put("zones", Run.list(f.zones()).size());
        counts.put("devices", Run.list(f.devices()).size());
        counts.put("orders", Run.list(f.orders()).size());
        counts.put("rules", Run.list(f.orders()).stream().mapToInt(o -> Run.list(o.rules()).size()).sum());
        counts.put("assignments", Run.list(f.assignments()).size());
        return counts;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One import inside one transaction; prepared statements are reused for the whole run. */
    private static final class Run implements AutoCloseable {
        private final Connection c;
        private final Map<String, PreparedStatement> statements = new java.util.HashMap<>();
        private final Map<String, Long> agencyIds = new java.util.HashMap<>();
        private final Map<String, Long> subjectIds = new java.util.HashMap<>();
        private final Map<String, Long> deviceIds = new java.util.HashMap<>();
        private final Map<String, Long> zoneIds = new java.util.HashMap<>();
        private final Batch scheduleRows = new Batch(
                "insert into schedules (rule_id, weekday, start_time, end_time) values (?, ?, ?, ?)");
        private final Batch exceptionRows = new Batch("""
                insert into schedule_exceptions (rule_id, on_date, start_time, end_time, action, reason)
                values (?, ?, ?, ?, ?, ?)""");

        Run(Connection c) {
            this.c = c;
        }

        @Override
        public void close() throws SQLException {
            SQLException first = null;
            for (PreparedStatement ps : statements.values()) {
                try {
                    ps.close();
                } catch (SQLException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }

        /** Runs one entry; a failure becomes one line naming it. */
        private <T> void each(String section, List<T> entries, java.util.function.Function<T, String> key, Entry<T> run)
                throws SQLException {
            for (int i = 0; i < entries.size(); i++) {
                T entry = entries.get(i);
                try {
                    run.run(entry);
                } catch (ProvisioningException e) {
                    throw e;
                } catch (SQLException | RuntimeException e) {
                    String message = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
                    throw new ProvisioningException(section + "[" + i + "] (" + key.apply(entry) + "): " + message, e);
                }
            }
        }

        /** Imports one entry of a section. */
        private interface Entry<T> {
            void run(T entry) throws SQLException;
        }

        /** Writes that need no id back go in JDBC batches; the batch's first failing row is named by its label. */
        private final class Batch {
            private final String sql;
            private final List<String> keys = new java.util.ArrayList<>();

            Batch(String sql) {
                this.sql = sql;
            }

            /** @param label names the entry in an error, e.g. {@code subjects[12] (externalCaseId KZ-1)} */
            void add(String label, Object... args) throws SQLException {
                PreparedStatement ps = bind(sql, args);
                ps.addBatch();
                keys.add(label);
                if (keys.size() >= BATCH) {
                    flush();
                }
            }

            void flush() throws SQLException {
                if (keys.isEmpty()) {
                    return;
                }
                try {
                    statements.get(sql).executeBatch();
                } catch (java.sql.BatchUpdateException e) {
                    int[] done = e.getUpdateCounts();
                    int failed = done == null ? 0 : Math.min(done.length, keys.size() - 1);
                    SQLException cause = e.getNextException() != null ? e.getNextException() : e;
                    throw new ProvisioningException(keys.get(failed) + ": "
                            + String.valueOf(cause.getMessage()).lines().findFirst().orElse(""), e);
                }
                keys.clear();
            }
        }

        void all(ProvisioningFile f) throws SQLException {
            each("agencies", list(f.agencies()), a -> "code " + a.code(), a -> id("""
                        insert into agencies (code, name, region, allowed_sources) values (?, ?, ?, ?)
                        on conflict (code) do update set name = excluded.name, region = excluded.region,
                            allowed_sources = excluded.allowed_sources returning id""",
                        a.code(), a.name(), a.region(), sources(a.allowedSources(), "agency " + a.code())));
            each("users", list(f.users()), u -> "username " + u.username(), u -> id("""
                        insert into users (username, password_hash, role, agency_id) values (?, ?, ?, ?)
                        on conflict (username) do update set password_hash = excluded.password_hash,
                            role = excluded.role, agency_id = excluded.agency_id returning id""",
                        u.username(), u.passwordHash(), u.role(), u.agency() == null ? null : agency(u.agency())));
            Batch subjects = new Batch("""
                        insert into subjects (agency_id, external_case_id, display_name, pre_trial, phone, officer_name,
                                              officer_phone) values (?, ?, ?, ?, ?, ?, ?)
                        on conflict (agency_id, external_case_id) do update set display_name = excluded.display_name,
                            pre_trial = excluded.pre_trial, phone = excluded.phone, officer_name = excluded.officer_name,
                            officer_phone = excluded.officer_phone""");
            List<ProvisioningFile.Subject> subjectList = list(f.subjects());
            int[] index = new int[1];
            each("subjects", subjectList, s -> "externalCaseId " + s.externalCaseId(), s -> subjects.add(
                    "subjects[" + index[0]++ + "] (externalCaseId " + s.externalCaseId() + ")", agency(s.agency()),
                    s.externalCaseId(), s.displayName(), s.preTrial(), s.phone(), s.officerName(), s.officerPhone()));
            subjects.flush();
            Batch zones = new Batch("""
                        insert into zones (agency_id, name, kind, geojson) values (?, ?, ?, ?::jsonb)
                        on conflict (agency_id, name) do update set kind = excluded.kind, geojson = excluded.geojson""");
            index[0] = 0;
            each("zones", list(f.zones()), z -> "name " + z.name(), z -> zones.add(
                    "zones[" + index[0]++ + "] (name " + z.name() + ")",
                    agency(z.agency()), z.name(), z.kind() == null ? "AREA" : z.kind(), json(z)));
            zones.flush();
            Batch devices = new Batch("""
                        insert into devices (protocol, device_number, secret_key, role, firmware, allowed_sources)
                        values (?, ?, ?, ?, ?, ?)
                        on conflict (protocol, device_number) do update set secret_key = excluded.secret_key,
                            role = excluded.role, firmware = excluded.firmware, allowed_sources = excluded.allowed_sources""");
            index[0] = 0;
            each("devices", list(f.devices()), d -> d.protocol() + " " + d.number(), d -> devices.add(
                        "devices[" + index[0]++ + "] (" + d.protocol() + " " + d.number() + ")", d.protocol(), d.number(),
                        d.secretKey() == null ? null : HexFormat.of().parseHex(d.secretKey()),
                        d.role() == null ? DeviceRole.BRACELET.name() : DeviceRole.valueOf(d.role()).name(), d.firmware(),
                        sources(d.allowedSources(), "device " + d.protocol() + " " + d.number())));
            devices.flush();
            each("orders", list(f.orders()), o -> "legalReference " + o.legalReference(), this::order);
            scheduleRows.flush();
            exceptionRows.flush();
            each("assignments", list(f.assignments()), a -> a.device() == null ? "no device"
                    : "device " + a.device().protocol() + " " + a.device().number(),
                    a -> assign(device(a.device()), subject(a.subject()), a.assignedAt()));
        }

        private void order(ProvisioningFile.Order o) throws SQLException {
            ZoneId.of(o.timeZone()); // fail on a bad zone before it reaches the evaluation core
            long orderId = id("""
                    insert into orders (subject_id, legal_reference, kind, starts_at, ends_at, time_zone, risk_level,
                                        no_communication_limit_s, no_fix_limit_s)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    on conflict (legal_reference) do update set subject_id = excluded.subject_id, kind = excluded.kind,
                        starts_at = excluded.starts_at, ends_at = excluded.ends_at, time_zone = excluded.time_zone,
                        risk_level = excluded.risk_level, no_communication_limit_s = excluded.no_communication_limit_s,
                        no_fix_limit_s = excluded.no_fix_limit_s returning id""",
                    subject(o.subject()), o.legalReference(), OrderKind.valueOf(o.kind()).name(),
                    Timestamp.from(o.startsAt()), o.endsAt() == null ? null : Timestamp.from(o.endsAt()), o.timeZone(),
                    RiskLevel.valueOf(o.riskLevel()).name(), o.noCommunicationLimitS(), o.noFixLimitS());
            long agencyId = agency(o.subject().agency());
            for (ProvisioningFile.Rule r : list(o.rules())) {
                rule(orderId, agencyId, r);
            }
        }

        private void rule(long orderId, long agencyId, ProvisioningFile.Rule r) throws SQLException {
            Long zoneId = r.zone() == null ? null : zoneIds.get(agencyId + "\u0000" + r.zone());
            if (r.zone() != null && zoneId == null) {
                zoneId = lookup("rule '" + r.name() + "': unknown zone " + r.zone(),
                        "select id from zones where agency_id = ? and name = ?", agencyId, r.zone());
                zoneIds.put(agencyId + "\u0000" + r.zone(), zoneId);
            }
            Long victim = r.victimDevice() == null ? null : device(r.victimDevice());
            if (victim != null && VictimUnits.check(c, victim, agencyId) != VictimUnits.Problem.NONE) {
                throw new IllegalArgumentException("rule '" + r.name() + "': victim device " + r.victimDevice().protocol() + " "
                        + r.victimDevice().number() + " is not a victim unit of this agency ("
                        + VictimUnits.check(c, victim, agencyId) + ")");
            }
            long ruleId = id("""
                    insert into rules (order_id, name, kind, zone_id, victim_device_id, distance_m, warn_distance_m,
                                       grace_m, open_fixes, open_dwell_s, close_fixes, close_dwell_s, active)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    on conflict (order_id, name) do update set kind = excluded.kind, zone_id = excluded.zone_id,
                        victim_device_id = excluded.victim_device_id, distance_m = excluded.distance_m,
                        warn_distance_m = excluded.warn_distance_m, grace_m = excluded.grace_m,
                        open_fixes = excluded.open_fixes, open_dwell_s = excluded.open_dwell_s,
                        close_fixes = excluded.close_fixes, close_dwell_s = excluded.close_dwell_s,
                        active = excluded.active returning id""",
                    orderId, r.name(), r.kind(), zoneId, victim, r.distanceM(), r.warnDistanceM(), r.graceM(),
                    r.openFixes(), r.openDwellS(), r.closeFixes(), r.closeDwellS(), r.active() == null || r.active());
            List<String> windows = new java.util.ArrayList<>();
            for (ProvisioningFile.Window w : list(r.schedule())) {
                windows.add(DayOfWeek.valueOf(w.weekday()).getValue() + "|" + LocalTime.parse(w.start()) + "|"
                        + LocalTime.parse(w.end()));
            }
            syncRows(ruleId, windows, "select id, weekday || '|' || to_char(start_time, 'HH24:MI') || '|' "
                    + "|| to_char(end_time, 'HH24:MI') from schedules where rule_id = ?", "delete from schedules where id = ?",
                    key -> {
                        String[] p = key.split("\\|");
                        scheduleRows.add("rule '" + r.name() + "' schedule " + key,
                                ruleId, Integer.parseInt(p[0]), LocalTime.parse(p[1]), LocalTime.parse(p[2]));
                    });
            List<String> exceptions = new java.util.ArrayList<>();
            for (ProvisioningFile.ScheduleException e : list(r.exceptions())) {
                if (!"add".equals(e.action()) && !"remove".equals(e.action())) {
                    throw new IllegalArgumentException("exception action must be add or remove: " + e.action());
                }
                exceptions.add(e.date() + "|" + LocalTime.parse(e.start()) + "|" + LocalTime.parse(e.end()) + "|"
                        + e.action() + "|" + e.reason());
            }
            syncRows(ruleId, exceptions, "select id, on_date || '|' || to_char(start_time, 'HH24:MI') || '|' "
                    + "|| to_char(end_time, 'HH24:MI') || '|' || action || '|' || reason from schedule_exceptions "
                    + "where rule_id = ?", "delete from schedule_exceptions where id = ?",
                    key -> {
                        String[] p = key.split("\\|", 5);
                        exceptionRows.add("rule '" + r.name() + "' exception " + key, ruleId, java.time.LocalDate.parse(p[0]),
                                LocalTime.parse(p[1]), LocalTime.parse(p[2]), p[3], p[4]);
                    });
        }

        /**
         * Makes a rule's child rows equal to {@code wanted} (rows as keys) while leaving identical rows untouched, so a
         * re-import changes no row and no id.
         */
        private void syncRows(long ruleId, List<String> wanted, String selectKeys, String deleteById, RowInsert insert)
                throws SQLException {
            List<String> missing = new java.util.ArrayList<>(wanted);
            List<Long> stale = new java.util.ArrayList<>();
            try (ResultSet rs = bind(selectKeys, ruleId).executeQuery()) {
                while (rs.next()) {
                    if (!missing.remove(rs.getString(2))) {
                        stale.add(rs.getLong(1));
                    }
                }
            }
            for (long id : stale) {
                update(deleteById, id);
            }
            for (String key : missing) {
                insert.insert(key);
            }
        }

        /** Inserts one child row described by its key. */
        private interface RowInsert {
            void insert(String key) throws SQLException;
        }

        /** Starts an assignment unless the device is already on that subject; closes the device's previous one. */
        private void assign(long deviceId, long subjectId, java.time.Instant at) throws SQLException {
            try (ResultSet rs = bind("select subject_id from device_assignments where device_id = ? and unassigned_at is null",
                    deviceId).executeQuery()) {
                if (rs.next() && rs.getLong(1) == subjectId) {
                    return;
                }
            }
            update("update device_assignments set unassigned_at = ? where device_id = ? and unassigned_at is null",
                    Timestamp.from(at), deviceId);
            update("insert into device_assignments (device_id, subject_id, assigned_at) values (?, ?, ?)",
                    deviceId, subjectId, Timestamp.from(at));
        }

        /** Validated CIDR blocks as a text[] value, or null for none. */
        private static String[] sources(List<String> cidrs, String owner) {
            if (cidrs == null || cidrs.isEmpty()) {
                return null;
            }
            try {
                return SourceNetworks.parse(cidrs).cidrs().toArray(String[]::new);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(owner + ": " + e.getMessage(), e);
            }
        }

        private long agency(String code) throws SQLException {
            Long known = agencyIds.get(code);
            if (known == null) {
                known = lookup("unknown agency " + code, "select id from agencies where code = ?", code);
                agencyIds.put(code, known);
            }
            return known;
        }

        private long subject(ProvisioningFile.SubjectRef ref) throws SQLException {
            if (ref == null) {
                throw new IllegalArgumentException("subject is missing");
            }
            String key = ref.agency() + "\u0000" + ref.externalCaseId();
            Long known = subjectIds.get(key);
            if (known == null) {
                known = lookup("unknown subject " + ref.agency() + " " + ref.externalCaseId(),
                        "select s.id from subjects s join agencies a on a.id = s.agency_id "
                                + "where a.code = ? and s.external_case_id = ?", ref.agency(), ref.externalCaseId());
                subjectIds.put(key, known);
            }
            return known;
        }

        private long device(ProvisioningFile.DeviceRef ref) throws SQLException {
            if (ref == null) {
                throw new IllegalArgumentException("device is missing");
            }
            String key = ref.protocol() + "\u0000" + ref.number();
            Long known = deviceIds.get(key);
            if (known == null) {
                known = lookup("unknown device " + ref.protocol() + " " + ref.number(),
                        "select id from devices where protocol = ? and device_number = ?", ref.protocol(), ref.number());
                deviceIds.put(key, known);
            }
            return known;
        }

        /** The id a query finds, or an error saying what is missing. */
        private long lookup(String missing, String sql, Object... args) throws SQLException {
            PreparedStatement ps = bind(sql, args);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException(missing);
                }
                return rs.getLong(1);
            }
        }

        /** Runs a statement returning one id; a missing row means the file refers to something it does not define. */
        private long id(String sql, Object... args) throws SQLException {
            PreparedStatement ps = bind(sql, args);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("refers to a missing entry: " + java.util.Arrays.toString(args));
                }
                return rs.getLong(1);
            }
        }

        private void update(String sql, Object... args) throws SQLException {
            bind(sql, args).executeUpdate();
        }

        /** The run's prepared statement for {@code sql} (prepared once), bound to {@code args}. */
        private PreparedStatement bind(String sql, Object... args) throws SQLException {
            PreparedStatement ps = statements.get(sql);
            if (ps == null) {
                ps = c.prepareStatement(sql);
                statements.put(sql, ps);
            }
            for (int i = 0; i < args.length; i++) {
                if (args[i] == null) {
                    ps.setNull(i + 1, Types.NULL);
                } else if (args[i] instanceof String[] texts) {
                    ps.setArray(i + 1, c.createArrayOf("text", texts));
                } else {
                    ps.setObject(i + 1, args[i]);
                }
            }
            return ps;
        }

        private static String json(ProvisioningFile.Zone z) {
            if (z.geojson() == null || !z.geojson().isObject()) {
                throw new IllegalArgumentException("zone '" + z.name() + "' needs a GeoJSON object");
            }
            try {
                return JSON.writeValueAsString(z.geojson());
            } catch (IOException e) {
                throw new IllegalArgumentException("zone '" + z.name() + "': " + e.getMessage(), e);
            }
        }

        private static <T> List<T> list(List<T> l) {
            return l == null ? List.of() : l;
        }
    }
}
