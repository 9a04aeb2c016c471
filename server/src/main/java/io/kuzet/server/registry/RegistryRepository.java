package io.kuzet.server.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Loads the whole registry (agencies, subjects, orders, devices with their current assignment, zones, active rules
 * with schedules) into one immutable {@link RegistrySnapshot}, in one repeatable-read transaction so the snapshot is
 * consistent. Thread-safe. Cost: seven queries; tens of milliseconds for 10,000 subjects.
 */
public final class RegistryRepository {
    private final DataSource dataSource;
    private final AtomicLong versions = new AtomicLong();

    public RegistryRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public RegistrySnapshot load() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try {
                RegistrySnapshot snapshot = new RegistrySnapshot(versions.incrementAndGet(), agencies(c), subjects(c),
                        orders(c), devices(c), zones(c), rules(c));
                c.commit();
                return snapshot;
            } finally {
                c.setReadOnly(false);
                c.setAutoCommit(true);
            }
        }
    }

    private static List<AgencyRecord> agencies(Connection c) throws SQLException {
        List<AgencyRecord> list = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id, code, name, region, allowed_sources from agencies");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                list.add(new AgencyRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        sourceNetworks(rs.getArray(5))));
            }
        }
        return list;
    }

    private static List<SubjectRecord> subjects(Connection c) throws SQLException {
        List<SubjectRecord> list = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id, agency_id, external_case_id, display_name from subjects");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                list.add(new SubjectRecord(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
            }
        }
        return list;
    }

    private static List<OrderRecord> orders(Connection c) throws SQLException {
        List<OrderRecord> list = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select id, subject_id, legal_reference, kind, starts_at, ends_at, time_zone, risk_level,
                       no_communication_limit_s, no_fix_limit_s from orders order by subject_id, starts_at""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Timestamp ends = rs.getTimestamp(6);
                list.add(new OrderRecord(rs.getLong(1), rs.getLong(2), rs.getString(3), OrderKind.valueOf(rs.getString(4)),
                        rs.getTimestamp(5).toInstant(), ends == null ? null : ends.toInstant(), ZoneId.of(rs.getString(7)),
                        RiskLevel.valueOf(rs.getString(8)), rs.getInt(9), rs.getInt(10)));
            }
        }
        return list;
    }

    private static List<DeviceRecord> devices(Connection c) throws SQLException {
        List<DeviceRecord> list = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select d.id, d.protocol, d.device_number, d.secret_key, d.role, coalesce(a.subject_id, 0), d.allowed_sources
                from devices d left join device_assignments a on a.device_id = d.id and a.unassigned_at is null""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                list.add(new DeviceRecord(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getBytes(4),
                        DeviceRole.valueOf(rs.getString(5)), rs.getLong(6), sourceNetworks(rs.getArray(7))));
            }
        }
        return list;
    }

    private static SourceNetworks sourceNetworks(java.sql.Array array) throws SQLException {
        return array == null ? SourceNetworks.ANY : SourceNetworks.parse(List.of((String[]) array.getArray()));
    }

    private static List<ZoneRecord> zones(Connection c) throws SQLException {
        List<ZoneRecord> list = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select id, agency_id, name, geojson::text from zones");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                list.add(new ZoneRecord(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
            }
        }
        return list;
    }

    private static List<RuleRecord> rules(Connection c) throws SQLException {
        Map<Long, List<RuleRecord.Window>> windows = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select s.rule_id, s.weekday, s.start_time, s.end_time from schedules s
                join rules r on r.id = s.rule_id where r.active order by s.rule_id, s.weekday, s.start_time""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                windows.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new RuleRecord.Window(
                        DayOfWeek.of(rs.getInt(2)), rs.getTime(3).toLocalTime(), rs.getTime(4).toLocalTime()));
            }
        }
        Map<Long, List<RuleRecord.Exception>> exceptions = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select e.rule_id, e.on_date, e.start_time, e.end_time, e.action, e.reason from schedule_exceptions e
                join rules r on r.id = e.rule_id where r.active order by e.rule_id, e.on_date, e.start_time""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                exceptions.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new RuleRecord.Exception(
                        rs.getDate(2).toLocalDate(), rs.getTime(3).toLocalTime(), rs.getTime(4).toLocalTime(),
                        "add".equals(rs.getString(5)), rs.getString(6)));
            }
        }
        List<RuleRecord> list = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select id, order_id, name, kind, coalesce(zone_id, 0), coalesce(victim_device_id, 0), distance_m,
                       warn_distance_m, grace_m, open_fixes, open_dwell_s, close_fixes, close_dwell_s
                from rules where active order by order_id, id""");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long id = rs.getLong(1);
                list.add(new RuleRecord(id, rs.getLong(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                        rs.getLong(6), rs.getDouble(7), rs.getDouble(8), rs.getDouble(9), rs.getInt(10), rs.getInt(11),
                        rs.getInt(12), rs.getInt(13), List.copyOf(windows.getOrDefault(id, List.of())),
                        List.copyOf(exceptions.getOrDefault(id, List.of()))));
            }
        }
        return list;
    }
}
