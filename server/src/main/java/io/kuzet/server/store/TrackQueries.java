package io.kuzet.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Read queries over stored positions and alerts, the same SQL on both schema flavours. Subject tracks use the
 * {@code (subject_id, fix_time)} index and prune to the days asked for (a device track, for diagnostics, scans those
 * days: no index by device is kept, see {@link TimeSeriesKeysMigration}); latest positions take one index probe per subject over a bounded recent window; alert queues
 * use {@code (state, detected_at)}. Thread-safe; every call takes a pooled connection.
 */
public final class TrackQueries {
    private static final String POINT_COLUMNS = "device_id, subject_id, fix_time, lat_e7, lon_e7, altitude_m, "
            + "speed_kmh, heading_deg, accuracy_m, hdop, satellites, flags, assurance";

    private final DataSource dataSource;

    public TrackQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A subject's fixes in [from, to), ordered by fix time. */
    public List<TrackPoint> subjectTrack(long subjectId, Instant from, Instant to) throws SQLException {
        return track("subject_id", subjectId, from, to);
    }

    /** A device's fixes in [from, to), ordered by fix time. */
    public List<TrackPoint> deviceTrack(long deviceId, Instant from, Instant to) throws SQLException {
        return track("device_id", deviceId, from, to);
    }

    private List<TrackPoint> track(String keyColumn, long key, Instant from, Instant to) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select " + POINT_COLUMNS + " from positions where " + keyColumn
                     + " = ? and fix_time >= ? and fix_time < ? order by fix_time, journal_index")) {
            ps.setLong(1, key);
            ps.setTimestamp(2, Timestamp.from(from));
            ps.setTimestamp(3, Timestamp.from(to));
            return points(ps);
        }
    }

    /**
     * The latest fix of each subject of {@code agencyId} (0 = all agencies) that reported since {@code since}; the
     * bound keeps the query on recent partitions. Ordered by subject id.
     */
    public List<TrackPoint> latestPerSubject(long agencyId, Instant since) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select p.* from subjects s cross join lateral ("
                     + "select " + POINT_COLUMNS + " from positions p where p.subject_id = s.id and p.fix_time >= ? "
                     + "order by p.fix_time desc limit 1) p where (? = 0 or s.agency_id = ?) order by s.id")) {
            ps.setTimestamp(1, Timestamp.from(since));
            ps.setLong(2, agencyId);
            ps.setLong(3, agencyId);
            return points(ps);
        }
    }

    /** Alerts of {@code agencyId}'s subjects in {@code state}, newest detection first, at most {@code limit}. */
    public List<StoredAlert> alerts(long agencyId, String state, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select a.id, a.type, a.severity, a.subject_id, a.device_id, a.rule_id, a.fix_time, a.detected_at,
                            a.late, a.state, a.explanation, a.details::text, a.disposition, a.escalated
                     from alerts a join subjects s on s.id = a.subject_id
                     where a.state = ? and s.agency_id = ?
                     order by a.detected_at desc limit ?""")) {
            ps.setString(1, state);
            ps.setLong(2, agencyId);
            ps.setInt(3, limit);
            List<StoredAlert> alerts = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    alerts.add(new StoredAlert(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            rs.getLong(5), rs.getLong(6), rs.getTimestamp(7).toInstant(), rs.getTimestamp(8).toInstant(),
                            rs.getBoolean(9), rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13),
                            rs.getBoolean(14)));
                }
            }
            return alerts;
        }
    }

    private static List<TrackPoint> points(PreparedStatement ps) throws SQLException {
        List<TrackPoint> points = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                points.add(new TrackPoint(rs.getLong(1), rs.getLong(2), rs.getTimestamp(3).toInstant(),
                        rs.getInt(4) / 1e7, rs.getInt(5) / 1e7, rs.getInt(6), rs.getFloat(7), rs.getShort(8),
                        nullable(rs, 9), nullable(rs, 10), rs.getShort(11), rs.getInt(12), rs.getString(13)));
            }
        }
        return points;
    }

    private static double nullable(ResultSet rs, int column) throws SQLException {
        float v = rs.getFloat(column);
        return rs.wasNull() ? Double.NaN : v;
    }
}
