package io.kuzet.server.api.alerts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kuzet.server.alert.Severity;
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
 * Escalates unreviewed alerts past their SLA (see {@link ReviewPolicy}), whatever their state: OPEN ones nobody
 * acknowledged, CLEARED ones that ended by themselves before anyone reviewed them (at or above the review severity),
 * and ACKNOWLEDGED ones not resolved within the longer resolve SLA. Marks them escalated, records an ESCALATED action
 * and an audit entry in one transaction, then hands each escalation to {@code onEscalated} (the live push).
 * Idempotent: an alert escalates once. Run by one scheduled thread; {@link #runOnce} is also what tests call. Cost:
 * one indexed scan of unresolved, unescalated alerts per severity and run.
 */
public final class EscalationJob {
    /** Default acknowledgement SLAs: NIJ asks for delivery within minutes; critical ones must be taken at once. */
    public static final Map<String, Duration> DEFAULT_SLA = Map.of(
            "CRITICAL", Duration.ofMinutes(2), "HIGH", Duration.ofMinutes(5),
            "MEDIUM", Duration.ofMinutes(15), "LOW", Duration.ofMinutes(60));

    private final DataSource dataSource;
    private final AuditLog audit;
    private final Supplier<Instant> clock;
    private final ReviewPolicy policy;
    private final Consumer<ObjectNode> onEscalated;

    public EscalationJob(DataSource dataSource, AuditLog audit, Supplier<Instant> clock, Map<String, Duration> sla,
                         Consumer<ObjectNode> onEscalated) {
        this(dataSource, audit, clock, new ReviewPolicy(ReviewPolicy.DEFAULT_REVIEW_SEVERITY, sla), onEscalated);
    }

    public EscalationJob(DataSource dataSource, AuditLog audit, Supplier<Instant> clock, ReviewPolicy policy,
                         Consumer<ObjectNode> onEscalated) {
        this.dataSource = dataSource;
        this.audit = audit;
        this.clock = clock;
        this.policy = policy;
        this.onEscalated = onEscalated;
    }

    /** Escalates what is due now; returns the escalation events sent. */
    public List<ObjectNode> runOnce() throws SQLException {
        Instant now = clock.get();
        List<ObjectNode> events = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (Severity severity : Severity.values()) {
                    escalate(c, severity.name(), now, events);
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

    private void escalate(Connection c, String severity, Instant now, List<ObjectNode> events) throws SQLException {
        Duration ack = policy.ackSla(severity);
        Duration resolve = policy.resolveSla(severity);
        List<ObjectNode> found = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                update alerts a set escalated = true, escalated_at = ?
                from subjects s
                where s.id = a.subject_id and not a.escalated and a.severity = ?
                  and (a.state in ('OPEN', 'ACKNOWLEDGED') or (a.state = 'CLEARED' and ?))
                  and a.detected_at < case when a.acknowledged_at is null then ?::timestamptz else ?::timestamptz end
                returning a.id, a.type, a.subject_id, s.agency_id, a.explanation, a.state, a.acknowledged_at is not null""")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, severity);
            ps.setBoolean(3, policy.reviewed(severity));
            ps.setTimestamp(4, Timestamp.from(now.minus(ack)));
            ps.setTimestamp(5, Timestamp.from(now.minus(resolve)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    boolean acknowledged = rs.getBoolean(7);
                    Duration limit = acknowledged ? resolve : ack;
                    found.add(Json.object().put("kind", "escalation").put("alertId", Long.toString(rs.getLong(1)))
                            .put("type", rs.getString(2)).put("severity", severity)
                            .put("subjectId", Long.toString(rs.getLong(3))).put("agencyId", Long.toString(rs.getLong(4)))
                            .put("explanation", rs.getString(5)).put("state", rs.getString(6))
                            .put("reason", reason(rs.getString(6), acknowledged))
                            .put("escalatedAt", now.toString()).put("slaMinutes", limit.toMinutes()));
                }
            }
        }
        for (ObjectNode ev : found) {
            String note = switch (ev.get("reason").asText()) {
                case "ENDED_UNREVIEWED" -> "ended by itself and not reviewed within ";
                case "NOT_RESOLVED" -> "acknowledged but not resolved within ";
                default -> "not acknowledged within ";
            } + ev.get("slaMinutes").asLong() + " min (" + severity + " SLA)";
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into alert_actions (alert_id, user_id, action, at, note, escalation_reason, sla_minutes)"
                            + " values (?, null, 'ESCALATED', ?, ?, ?, ?)")) {
                ps.setLong(1, ev.get("alertId").asLong());
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setString(3, note);
                ps.setString(4, ev.get("reason").asText());
                ps.setInt(5, (int) ev.get("slaMinutes").asLong());
                ps.executeUpdate();
            }
            audit.append(c, null, "ALERT_ESCALATED", ev.get("subjectId").asLong(), note,
                    Json.object().put("alertId", ev.get("alertId").asText()).put("severity", severity)
                            .put("state", ev.get("state").asText()).put("reason", ev.get("reason").asText()));
        }
        events.addAll(found);
    }

    /** Why an alert escalates: nobody took it, it ended unreviewed, or it was taken and not resolved. */
    private static String reason(String state, boolean acknowledged) {
        if (acknowledged) {
            return "NOT_RESOLVED";
        }
        return "CLEARED".equals(state) ? "ENDED_UNREVIEWED" : "NOT_ACKNOWLEDGED";
    }
}
