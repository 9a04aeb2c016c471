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
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .registerModule(new JavaTimeModule())
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

    public void importFile(Path yaml) throws IOException, SQLException {
        byte[] bytes = java.nio.file.Files.readAllBytes(yaml);
        ProvisioningFile file = YAML.readValue(bytes, ProvisioningFile.class);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                new Run(c).all(file);
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

    /** One import inside one transaction. */
    private static final class Run {
        private final Connection c;

        Run(Connection c) {
            this.c = c;
        }

        void all(ProvisioningFile f) throws SQLException {
            for (ProvisioningFile.Agency a : list(f.agencies())) {
                id("""
                        insert into agencies (code, name, region, allowed_sources) values (?, ?, ?, ?)
                        on conflict (code) do update set name = excluded.name, region = excluded.region,
                            allowed_sources = excluded.allowed_sources returning id""",
                        a.code(), a.name(), a.region(), sources(a.allowedSources(), "agency " + a.code()));
            }
            for (ProvisioningFile.User u : list(f.users())) {
                id("""
                        insert into users (username, password_hash, role, agency_id) values (?, ?, ?, ?)
                        on conflict (username) do update set password_hash = excluded.password_hash,
                            role = excluded.role, agency_id = excluded.agency_id returning id""",
                        u.username(), u.passwordHash(), u.role(), u.agency() == null ? null : agency(u.agency()));
            }
            for (ProvisioningFile.Subject s : list(f.subjects())) {
                id("""
                        insert into subjects (agency_id, external_case_id, display_name, pre_trial) values (?, ?, ?, ?)
                        on conflict (agency_id, external_case_id) do update set display_name = excluded.display_name,
                            pre_trial = excluded.pre_trial returning id""",
                        agency(s.agency()), s.externalCaseId(), s.displayName(), s.preTrial());
            }
            for (ProvisioningFile.Zone z : list(f.zones())) {
                id("""
                        insert into zones (agency_id, name, kind, geojson) values (?, ?, ?, ?::jsonb)
                        on conflict (agency_id, name) do update set kind = excluded.kind, geojson = excluded.geojson
                        returning id""",
                        agency(z.agency()), z.name(), z.kind() == null ? "AREA" : z.kind(), json(z));
            }
            for (ProvisioningFile.Device d : list(f.devices())) {
                id("""
                        insert into devices (protocol, device_number, secret_key, role, firmware, allowed_sources)
                        values (?, ?, ?, ?, ?, ?)
                        on conflict (protocol, device_number) do update set secret_key = excluded.secret_key,
                            role = excluded.role, firmware = excluded.firmware, allowed_sources = excluded.allowed_sources
                        returning id""",
                        d.protocol(), d.number(), d.secretKey() == null ? null : HexFormat.of().parseHex(d.secretKey()),
                        d.role() == null ? DeviceRole.BRACELET.name() : DeviceRole.valueOf(d.role()).name(), d.firmware(),
                        sources(d.allowedSources(), "device " + d.protocol() + " " + d.number()));
            }
            for (ProvisioningFile.Order o : list(f.orders())) {
                order(o);
            }
            for (ProvisioningFile.Assignment a : list(f.assignments())) {
                assign(device(a.device()), subject(a.subject()), a.assignedAt());
            }
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
            long agencyId = id("select s.agency_id from orders o join subjects s on s.id = o.subject_id where o.id = ?", orderId);
            for (ProvisioningFile.Rule r : list(o.rules())) {
                rule(orderId, agencyId, r);
            }
        }

        private void rule(long orderId, long agencyId, ProvisioningFile.Rule r) throws SQLException {
            Long zoneId = r.zone() == null ? null : id("select id from zones where agency_id = ? and name = ?", agencyId, r.zone());
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
                        update("insert into schedules (rule_id, weekday, start_time, end_time) values (?, ?, ?, ?)",
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
                        update("""
                                insert into schedule_exceptions (rule_id, on_date, start_time, end_time, action, reason)
                                values (?, ?, ?, ?, ?, ?)""", ruleId, java.time.LocalDate.parse(p[0]),
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
            try (PreparedStatement ps = bind(selectKeys, ruleId); ResultSet rs = ps.executeQuery()) {
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
            try (PreparedStatement ps = c.prepareStatement(
                    "select subject_id from device_assignments where device_id = ? and unassigned_at is null")) {
                ps.setLong(1, deviceId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getLong(1) == subjectId) {
                        return;
                    }
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
            return id("select id from agencies where code = ?", code);
        }

        private long subject(ProvisioningFile.SubjectRef ref) throws SQLException {
            return id("select s.id from subjects s join agencies a on a.id = s.agency_id "
                    + "where a.code = ? and s.external_case_id = ?", ref.agency(), ref.externalCaseId());
        }

        private long device(ProvisioningFile.DeviceRef ref) throws SQLException {
            return id("select id from devices where protocol = ? and device_number = ?", ref.protocol(), ref.number());
        }

        /** Runs a statement returning one id; a missing row means the file refers to something it does not define. */
        private long id(String sql, Object... args) throws SQLException {
            try (PreparedStatement ps = bind(sql, args); ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalArgumentException("provisioning file refers to a missing entry: " + List.of(args));
                }
                return rs.getLong(1);
            }
        }

        private void update(String sql, Object... args) throws SQLException {
            try (PreparedStatement ps = bind(sql, args)) {
                ps.executeUpdate();
            }
        }

        private PreparedStatement bind(String sql, Object... args) throws SQLException {
            PreparedStatement ps = c.prepareStatement(sql);
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
