package io.kuzet.server.command;

import io.kuzet.server.journal.Protocol;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The outbox table {@code device_commands}. Every state change is one conditional statement that only moves an open
 * command ({@code QUEUED}/{@code SENT}), so a late answer cannot reopen an expired command and a repeated answer
 * changes nothing. Thread-safe (each call takes a pooled connection).
 */
public final class CommandStore {
    private static final String COLUMNS = "id, device_id, subject_id, protocol, kind, argument, origin, requested_by, reason, "
            + "alert_id, state, created_at, expires_at, sent_at, attempts, finished_at, result";
    private static final String OPEN = "state in ('QUEUED', 'SENT')";

    private final DataSource dataSource;

    public CommandStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Stores a new command; returns it, or null when the device already has a command with the request's dedup key
     * (a replayed supervision decision).
     */
    public DeviceCommand insert(CommandRequest r, long subjectId, Protocol protocol, CommandState state, String result,
                                Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return insert(c, r, subjectId, protocol, state, result, now);
        }
    }

    /** As above on the caller's connection (inside its transaction, e.g. with the audit entry). */
    public DeviceCommand insert(Connection c, CommandRequest r, long subjectId, Protocol protocol, CommandState state,
                                String result, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into device_commands (device_id, subject_id, protocol, kind, "
                     + "argument, origin, requested_by, reason, alert_id, dedup_key, state, created_at, expires_at, "
                     + "finished_at, result) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                     + "on conflict (device_id, dedup_key) do nothing returning " + COLUMNS)) {
            ps.setLong(1, r.deviceId());
            if (subjectId == 0) {
                ps.setNull(2, Types.BIGINT);
            } else {
                ps.setLong(2, subjectId);
            }
            ps.setString(3, protocol.label());
            ps.setString(4, r.kind().name());
            ps.setLong(5, r.argument());
            ps.setString(6, r.origin().name());
            ps.setString(7, r.requestedBy() == null ? "" : r.requestedBy());
            ps.setString(8, r.reason() == null ? "" : r.reason());
            ps.setLong(9, r.alertId());
            ps.setString(10, r.dedupKey());
            ps.setString(11, state.name());
            ps.setTimestamp(12, Timestamp.from(now));
            ps.setTimestamp(13, Timestamp.from(now.plus(r.timeToLive())));
            ps.setTimestamp(14, state.open() ? null : Timestamp.from(now));
            ps.setString(15, result);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? row(rs) : null;
            }
        }
    }

    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** The open commands of a device whose time to live has not ended, oldest first. */
    public List<DeviceCommand> open(long deviceId, Instant now) throws SQLException {
        return query("select " + COLUMNS + " from device_commands where device_id = ? and " + OPEN
                + " and expires_at > ? order by id", ps -> {
                    ps.setLong(1, deviceId);
                    ps.setTimestamp(2, Timestamp.from(now));
                });
    }

    /** Records one more send of an open command; returns it as now stored, or null when it is no longer open. */
    public DeviceCommand markSent(long id, Instant at) throws SQLException {
        List<DeviceCommand> out = query("update device_commands set state = 'SENT', sent_at = ?, attempts = attempts + 1 "
                + "where id = ? and " + OPEN + " returning " + COLUMNS, ps -> {
                    ps.setTimestamp(1, Timestamp.from(at));
                    ps.setLong(2, id);
                });
        return out.isEmpty() ? null : out.get(0);
    }

    /** Ends an open command of {@code deviceId}; returns it as now stored, or null when it was not open (or not its). */
    public DeviceCommand finish(long id, long deviceId, CommandState to, String result, Instant at) throws SQLException {
        List<DeviceCommand> out = query("update device_commands set state = ?, finished_at = ?, result = ? "
                + "where id = ? and device_id = ? and " + OPEN + " returning " + COLUMNS, ps -> {
                    ps.setString(1, to.name());
                    ps.setTimestamp(2, Timestamp.from(at));
                    ps.setString(3, result);
                    ps.setLong(4, id);
                    ps.setLong(5, deviceId);
                });
        return out.isEmpty() ? null : out.get(0);
    }

    /** The oldest SENT command of the device of one of {@code kinds} (matching a Watch answer by its word), or null. */
    public DeviceCommand oldestSent(long deviceId, List<CommandKind> kinds) throws SQLException {
        if (kinds.isEmpty()) {
            return null;
        }
        List<DeviceCommand> out = query("select " + COLUMNS + " from device_commands where device_id = ? and state = 'SENT' "
                + "and kind = any (?) order by id limit 1", ps -> {
                    ps.setLong(1, deviceId);
                    ps.setArray(2, ps.getConnection().createArrayOf("text", kinds.stream().map(Enum::name).toArray()));
                });
        return out.isEmpty() ? null : out.get(0);
    }

    /** Marks every open command whose time to live ended by {@code now} EXPIRED; returns them. */
    public List<DeviceCommand> expire(Instant now) throws SQLException {
        return query("update device_commands set state = 'EXPIRED', finished_at = ?, result = 'no answer within its time to live' "
                + "where " + OPEN + " and expires_at <= ? returning " + COLUMNS, ps -> {
                    ps.setTimestamp(1, Timestamp.from(now));
                    ps.setTimestamp(2, Timestamp.from(now));
                });
    }

    /** The newest commands to the devices a subject wore, newest first. */
    public List<DeviceCommand> forSubject(long subjectId, int limit) throws SQLException {
        return query("select " + COLUMNS + " from device_commands where subject_id = ? order by id desc limit ?", ps -> {
            ps.setLong(1, subjectId);
            ps.setInt(2, limit);
        });
    }

    public DeviceCommand get(long id) throws SQLException {
        List<DeviceCommand> out = query("select " + COLUMNS + " from device_commands where id = ?", ps -> ps.setLong(1, id));
        return out.isEmpty() ? null : out.get(0);
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<DeviceCommand> query(String sql, Binder binder) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                List<DeviceCommand> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row(rs));
                }
                return out;
            }
        }
    }

    private static DeviceCommand row(ResultSet rs) throws SQLException {
        return new DeviceCommand(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4),
                CommandKind.valueOf(rs.getString(5)), rs.getLong(6), CommandOrigin.valueOf(rs.getString(7)), rs.getString(8),
                rs.getString(9), rs.getLong(10), CommandState.valueOf(rs.getString(11)), instant(rs.getTimestamp(12)),
                instant(rs.getTimestamp(13)), instant(rs.getTimestamp(14)), rs.getInt(15), instant(rs.getTimestamp(16)),
                rs.getString(17));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
