package io.kuzet.server.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Writes the registry in the provisioning format ({@code docs/provisioning.md}), so that importing the file into an
 * empty database gives the same registry: agencies, users (with their password hashes), subjects, zones, devices
 * (with their keys), orders with rules, schedules and exceptions, and the assignments in force. Assignment history,
 * alerts, positions and audit entries are not part of the format. Read in one repeatable-read transaction; holds the
 * whole registry in memory (like the import).
 */
public final class RegistryExporter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;

    public RegistryExporter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Writes the registry to {@code file} (replaced); returns the number of subjects written. */
    public int exportTo(Path file) throws IOException, SQLException {
        ProvisioningFile registry = read();
        ObjectWriter writer = ProvisioningImporter.YAML.copy().setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .writer();
        try (OutputStream out = Files.newOutputStream(file)) {
            writer.writeValue(out, registry);
        }
        return registry.subjects().size();
    }

    ProvisioningFile read() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                return read(c);
            } finally {
                c.rollback();
                c.setReadOnly(false);
                c.setAutoCommit(true);
            }
        }
    }

    private static ProvisioningFile read(Connection c) throws SQLException {
        List<ProvisioningFile.Agency> agencies = new ArrayList<>();
        query(c, "select code, name, region, allowed_sources from agencies order by id", rs -> agencies.add(
                new ProvisioningFile.Agency(rs.getString(1), rs.getString(2), rs.getString(3), texts(rs.getArray(4)))));
        List<ProvisioningFile.User> users = new ArrayList<>();
        query(c, "select u.username, u.password_hash, u.role, a.code from users u left join agencies a on a.id = u.agency_id "
                + "order by u.id", rs -> users.add(new ProvisioningFile.User(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getString(4))));
        List<ProvisioningFile.Subject> subjects = new ArrayList<>();
        query(c, "select a.code, s.external_case_id, s.display_name, s.pre_trial, s.phone, s.officer_name, s.officer_phone "
                + "from subjects s join agencies a on a.id = s.agency_id order by s.id", rs -> subjects.add(new ProvisioningFile.Subject(
                rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), rs.getString(5), rs.getString(6),
                rs.getString(7))));
        List<ProvisioningFile.Zone> zones = new ArrayList<>();
        query(c, "select a.code, z.name, z.kind, z.geojson::text from zones z join agencies a on a.id = z.agency_id "
                + "order by z.id", rs -> {
                    try {
                        zones.add(new ProvisioningFile.Zone(rs.getString(1), rs.getString(2), rs.getString(3),
                                JSON.readTree(rs.getString(4))));
                    } catch (IOException e) {
                        throw new SQLException("zone " + rs.getString(2) + " holds invalid GeoJSON", e);
                    }
                });
        List<ProvisioningFile.Device> devices = new ArrayList<>();
        query(c, "select protocol, device_number, secret_key, role, firmware, allowed_sources from devices order by id",
                rs -> {
                    byte[] key = rs.getBytes(3);
                    devices.add(new ProvisioningFile.Device(rs.getString(1), rs.getLong(2),
                            key == null ? null : HexFormat.of().formatHex(key), rs.getString(4), rs.getString(5),
                            texts(rs.getArray(6))));
                });
        Map<Long, List<ProvisioningFile.Window>> windows = new HashMap<>();
        query(c, "select rule_id, weekday, to_char(start_time, 'HH24:MI'), to_char(end_time, 'HH24:MI') from schedules "
                + "order by rule_id, weekday, start_time, id", rs -> windows.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                .add(new ProvisioningFile.Window(DayOfWeek.of(rs.getInt(2)).name(), rs.getString(3), rs.getString(4))));
        Map<Long, List<ProvisioningFile.ScheduleException>> exceptions = new HashMap<>();
        query(c, "select rule_id, on_date, to_char(start_time, 'HH24:MI'), to_char(end_time, 'HH24:MI'), action, reason "
                + "from schedule_exceptions order by rule_id, on_date, start_time, id", rs -> exceptions.computeIfAbsent(
                rs.getLong(1), k -> new ArrayList<>()).add(new ProvisioningFile.ScheduleException(
                rs.getObject(2, java.time.LocalDate.class), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6))));
        Map<Long, List<ProvisioningFile.Rule>> rules = new HashMap<>();
        query(c, "select r.order_id, r.id, r.name, r.kind, z.name, d.protocol, d.device_number, r.distance_m, "
                + "r.warn_distance_m, r.grace_m, r.open_fixes, r.open_dwell_s, r.close_fixes, r.close_dwell_s, r.active "
                + "from rules r left join zones z on z.id = r.zone_id left join devices d on d.id = r.victim_device_id "
                + "order by r.order_id, r.id", rs -> {
                    long ruleId = rs.getLong(2);
                    String victimProtocol = rs.getString(6);
                    rules.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new ProvisioningFile.Rule(
                            rs.getString(3), rs.getString(4), rs.getString(5), victimProtocol == null ? null
                            : new ProvisioningFile.DeviceRef(victimProtocol, rs.getLong(7)), rs.getDouble(8), rs.getDouble(9),
                            rs.getDouble(10), rs.getInt(11), rs.getInt(12), rs.getInt(13), rs.getInt(14), rs.getBoolean(15),
                            windows.remove(ruleId), exceptions.remove(ruleId)));
                });
        List<ProvisioningFile.Order> orders = new ArrayList<>();
        query(c, "select o.id, o.legal_reference, a.code, s.external_case_id, o.kind, o.starts_at, o.ends_at, o.time_zone, "
                + "o.risk_level, o.no_communication_limit_s, o.no_fix_limit_s from orders o "
                + "join subjects s on s.id = o.subject_id join agencies a on a.id = s.agency_id order by o.id", rs -> {
                    Timestamp ends = rs.getTimestamp(7);
                    orders.add(new ProvisioningFile.Order(rs.getString(2), new ProvisioningFile.SubjectRef(rs.getString(3),
                            rs.getString(4)), rs.getString(5), rs.getTimestamp(6).toInstant(),
                            ends == null ? null : ends.toInstant(), rs.getString(8), rs.getString(9), rs.getInt(10),
                            rs.getInt(11), rules.remove(rs.getLong(1))));
                });
        List<ProvisioningFile.Assignment> assignments = new ArrayList<>();
        query(c, "select d.protocol, d.device_number, a.code, s.external_case_id, da.assigned_at from device_assignments da "
                + "join devices d on d.id = da.device_id join subjects s on s.id = da.subject_id "
                + "join agencies a on a.id = s.agency_id where da.unassigned_at is null order by da.id", rs -> assignments.add(
                new ProvisioningFile.Assignment(new ProvisioningFile.DeviceRef(rs.getString(1), rs.getLong(2)),
                        new ProvisioningFile.SubjectRef(rs.getString(3), rs.getString(4)), rs.getTimestamp(5).toInstant())));
        return new ProvisioningFile(agencies, users, subjects, zones, devices, orders, assignments);
    }

    private static List<String> texts(Array array) throws SQLException {
        return array == null ? null : List.of((String[]) array.getArray());
    }

    /** Handles one row. */
    private interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    private static void query(Connection c, String sql, Row row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(5000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    row.read(rs);
                }
            }
        }
    }
}
