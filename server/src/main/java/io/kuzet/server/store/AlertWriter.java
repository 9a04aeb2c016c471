package io.kuzet.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kuzet.server.alert.Alert;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Stores alert transitions from the alerts journal with that journal's checkpoint, in one transaction. Idempotent on
 * the core's deterministic alert id: a raised alert already present is left as it is (an operator may have acted on
 * it), a clear moves an OPEN or ACKNOWLEDGED alert to CLEARED and leaves RESOLVED ones alone.
 *
 * <p>Not thread-safe: one writer for the alerts journal. Alerts are rare; one JDBC batch per call.
 */
public final class AlertWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final String journalName;
    private final StorageMetrics metrics;

    public AlertWriter(DataSource dataSource, String journalName, StorageMetrics metrics) {
        this.dataSource = dataSource;
        this.journalName = journalName;
        this.metrics = metrics;
    }

    /** Stores the transitions and advances the alerts-journal checkpoint to {@code journalIndex}, atomically. */
    public void upsert(List<Alert> alerts, long journalIndex) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement raise = c.prepareStatement("""
                    insert into alerts (id, type, severity, subject_id, device_id, order_id, rule_id, fix_time,
                                        detected_at, late, state, explanation, details)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'OPEN', ?, ?::jsonb)
                    on conflict (id) do nothing""");
                 PreparedStatement clear = c.prepareStatement("""
                    update alerts set state = 'CLEARED', cleared_at = ?
                    where id = ? and state in ('OPEN', 'ACKNOWLEDGED')""")) {
                for (Alert a : alerts) {
                    if (a.phase() == Alert.Phase.RAISED) {
                        bindRaise(raise, a);
                        raise.addBatch();
                    } else {
                        clear.setTimestamp(1, new Timestamp(a.detectedAtMs()));
                        clear.setLong(2, a.alertId());
                        clear.addBatch();
                    }
                }
                raise.executeBatch();
                clear.executeBatch();
                JournalCheckpoints.advance(c, journalName, journalIndex);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                metrics.errors.increment();
                throw e;
            }
        }
        metrics.alertsWritten.increment(alerts.size());
    }

    public long checkpoint() throws SQLException {
        return JournalCheckpoints.read(dataSource, journalName);
    }

    private static void bindRaise(PreparedStatement ps, Alert a) throws SQLException {
        ps.setLong(1, a.alertId());
        ps.setString(2, a.type().name());
        ps.setString(3, a.severity().name());
        setId(ps, 4, a.subjectId());
        setId(ps, 5, a.deviceId());
        setId(ps, 6, a.orderId());
        setId(ps, 7, a.ruleId());
        ps.setTimestamp(8, new Timestamp(a.fixTimeMs()));
        ps.setTimestamp(9, new Timestamp(a.detectedAtMs()));
        ps.setBoolean(10, a.late());
        ps.setString(11, a.explanation());
        ps.setString(12, json(a.details()));
    }

    /** 0 means "none" in the core's records; NULL in the table. */
    private static void setId(PreparedStatement ps, int index, long id) throws SQLException {
        if (id == 0) {
            ps.setNull(index, java.sql.Types.BIGINT);
        } else {
            ps.setLong(index, id);
        }
    }

    private static String json(Map<String, Object> details) {
        try {
            return JSON.writeValueAsString(details == null ? Map.of() : details);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("alert details are not serialisable: " + e.getMessage(), e);
        }
    }
}
