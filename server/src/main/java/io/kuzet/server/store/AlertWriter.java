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
 * Stores alert transitions from the alerts journal with that journal's checkpoint (or from the Kafka alerts topic with
 * its offsets), in one transaction. Idempotent on
 * the core's deterministic alert id: a raised alert already present is left as it is (an operator may have acted on
 * it), a clear moves an OPEN or ACKNOWLEDGED alert to CLEARED and leaves RESOLVED ones alone. Every clear records its
 * fix time and processing time on the alert and, once, as a CLEARED entry in the alert history. So a transition
 * read twice (the alerts topic after an evaluation failover) is still one row and one state change. A raised alert on
 * which adaptive supervision warned the subject (details "subjectWarned") gets, once, a SUBJECT_WARNED entry.
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
        upsert(alerts, new PositionWriter.StoredPosition() {
            @Override
            public void checkAhead(Connection c) {
                // the checkpoint's own advance refuses a batch that is not ahead of it
            }

            @Override
            public void advance(Connection c) throws SQLException {
                JournalCheckpoints.advance(c, journalName, journalIndex);
            }
        });
    }

    /**
     * Stores the transitions and moves {@code position} (checked before any row, advanced after them) in one
     * transaction: the alerts topic's offsets per partition ({@link KafkaAlerts}).
     */
    void upsert(List<Alert> alerts, PositionWriter.StoredPosition position) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement raise = c.prepareStatement("""
                    insert into alerts (id, type, severity, subject_id, device_id, order_id, rule_id, fix_time,
                                        detected_at, late, state, explanation, details, opened_fix_time)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'OPEN', ?, ?::jsonb, ?)
                    on conflict (id) do nothing""");
                 PreparedStatement clear = c.prepareStatement("""
                    update alerts set state = 'CLEARED' where id = ? and state in ('OPEN', 'ACKNOWLEDGED')""");
                 PreparedStatement clearTimes = c.prepareStatement("""
                    update alerts set cleared_at = coalesce(cleared_at, ?), cleared_fix_time = coalesce(cleared_fix_time, ?)
                    where id = ?""");
                 PreparedStatement history = c.prepareStatement("""
                    insert into alert_actions (alert_id, user_id, action, at, note, fix_time)
                    select ?, null, 'CLEARED', ?, ?, ?
                    where exists (select 1 from alerts where id = ?)
                      and not exists (select 1 from alert_actions where alert_id = ? and action = 'CLEARED')""");
                 PreparedStatement warned = c.prepareStatement("""
                    insert into alert_actions (alert_id, user_id, action, at, note, fix_time)
                    select ?, null, 'SUBJECT_WARNED', ?, ?, ?
                    where not exists (select 1 from alert_actions where alert_id = ? and action = 'SUBJECT_WARNED')""")) {
                for (Alert a : alerts) {
                    if (a.phase() == Alert.Phase.RAISED) {
                        bindRaise(raise, a);
                        raise.addBatch();
                        Object command = a.details() == null ? null : a.details().get("subjectWarned");
                        if (command != null) {
                            warned.setLong(1, a.alertId());
                            warned.setTimestamp(2, new Timestamp(a.detectedAtMs()));
                            warned.setString(3, "Subject warned: " + command);
                            warned.setTimestamp(4, new Timestamp(a.fixTimeMs()));
                            warned.setLong(5, a.alertId());
                            warned.addBatch();
                        }
                    } else {
                        Timestamp clearedAt = new Timestamp(a.detectedAtMs());
                        Timestamp clearedFix = new Timestamp(a.fixTimeMs());
                        clear.setLong(1, a.alertId());
                        clear.addBatch();
                        // an operator may have resolved it first: the condition's end is still evidence
                        clearTimes.setTimestamp(1, clearedAt);
                        clearTimes.setTimestamp(2, clearedFix);
                        clearTimes.setLong(3, a.alertId());
                        clearTimes.addBatch();
                        history.setLong(1, a.alertId());
                        history.setTimestamp(2, clearedAt);
                        history.setString(3, a.explanation());
                        history.setTimestamp(4, clearedFix);
                        history.setLong(5, a.alertId());
                        history.setLong(6, a.alertId());
                        history.addBatch();
                    }
                }
                position.checkAhead(c);
                raise.executeBatch();
                warned.executeBatch();
                clear.executeBatch();
                clearTimes.executeBatch();
                history.executeBatch();
                position.advance(c);
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
        ps.setTimestamp(13, new Timestamp(openedFixTimeMs(a)));
    }

    /** The episode's first violating fix (details "openingFixTime", set by the core), else the alert's fix time. */
    static long openedFixTimeMs(Alert a) {
        Object opening = a.details() == null ? null : a.details().get("openingFixTime");
        if (opening instanceof String text) {
            try {
                return java.time.Instant.parse(text).toEpochMilli();
            } catch (java.time.format.DateTimeParseException e) {
                return a.fixTimeMs(); // not written by the core; the fix time is the best we know
            }
        }
        return a.fixTimeMs();
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
