package io.kuzet.server.api.alerts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kuzet.server.api.audit.AuditLog;
import io.kuzet.server.api.http.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Escalates OPEN alerts nobody acknowledged within the SLA of their severity: marks them escalated, records an
 * ESCALATED action and an audit entry in one transaction, then hands each escalation to {@code onEscalated} (the
 * live push). Idempotent: an alert escalates once. Run by one scheduled thread; {@link #runOnce} is also what
 * tests call. Cost: one indexed scan of open, unescalated alerts per run.
 */
public final class EscalationJob {
    /** Default acknowledgement SLAs: NIJ asks for delivery within minutes; critical ones must be taken at once. */
    public static final Map<String, Duration> DEFAULT_SLA = Map.of(
            "CRITICAL", Duration.ofMinutes(2), "HIGH", Duration.ofMinutes(5),
            "MEDIUM", Duration.ofMinutes(15), "LOW", Duration.ofMinutes(60));

    private final DataSource dataSource;
    private final AuditLog audit;
    private final Supplier<Instant> clock;
    private final Map<String, Duration> sla;
    private final Consumer<ObjectNode> onEscalated;

    public EscalationJob(DataSource dataSource, AuditLog audit, Supplier<Instant> clock, Map<String, Duration> sla,
                         Consumer<ObjectNode> onEscalated) {
        this.dataSource = dataSource;
        this.audit = audit;
        this.clock = clock;
        this.sla = Map.copyOf(sla);
        this.onEscalated = onEscalated;
    }

    /** Escalates what is due now; returns the escalation events sent. */
    public List<ObjectNode> runOnce() throws SQLException {
        Instant now = clock.get();
        List<ObjectNode> events = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (Map.Entry<String, Duration> e : sla.entrySet()) {
                    escalate(c, e.getKey(), now.minus(e.getValue()), now, e.getValue(), events);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        events.forEach(onEscalated);
        return events;
    }

    private void escalate(Connection c, String severity, Instant dueBefore, Instant now, Duration limit, List<ObjectNode> events)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                update alerts a set escalated = true, escalated_at = ?
                from subjects s
                where s.id = a.subject_id and a.state = 'OPEN' and not a.escalated and a.severity = ? and a.detected_at < ?
                returning a.id, a.type, a.subject_id, s.agency_id, a.explanation""")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, severity);
            ps.setTimestamp(3, Timestamp.from(dueBefore));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(Json.object().put("kind", "escalation").put("alertId", Long.toString(rs.getLong(1)))
                            .put("type", rs.getString(2)).put("severity", severity)
                            .put("subjectId", Long.toString(rs.getLong(3))).put("agencyId", Long.toString(rs.getLong(4)))
                            .put("explanation", rs.getString(5)).put("escalatedAt", now.toString())
                            .put("slaMinutes", limit.toMinutes()));
                }
            }
        }
        for (ObjectNode ev : events) {
            if (!severity.equals(ev.get("severity").asText())) {
                continue;
            }
            String note = "not acknowledged within " + limit.toMinutes() + " min (" + severity + " SLA)";
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into alert_actions (alert_id, user_id, action, at, note) values (?, null, 'ESCALATED', ?, ?)")) {
                ps.setLong(1, ev.get("alertId").asLong());
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setString(3, note);
                ps.executeUpdate();
            }
            audit.append(c, null, "ALERT_ESCALATED", ev.get("subjectId").asLong(), note,
                    Json.object().put("alertId", ev.get("alertId").asText()).put("severity", severity));
        }
    }
}
