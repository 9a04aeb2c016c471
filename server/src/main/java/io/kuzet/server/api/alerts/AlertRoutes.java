package io.kuzet.server.api.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kuzet.server.alert.AlertType;
import io.kuzet.server.alert.Severity;
import io.kuzet.server.api.ApiContext;
import io.kuzet.server.api.auth.Principal;
import io.kuzet.server.api.auth.Role;
import io.kuzet.server.api.http.ApiException;
import io.kuzet.server.api.http.ApiRequest;
import io.kuzet.server.api.http.ApiResponse;
import io.kuzet.server.api.http.Json;
import io.kuzet.server.api.http.Route;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The alert queue, history and workflow. List and filter (state, severity, type, agency, subject, time, text),
 * ordered by severity then detection time, or newest first with cursor paging ({@link AlertCursor}) for the history; acknowledge (operators), comment (operators), resolve with a disposition and a
 * required note (supervisors); a structured contact-log entry (operators: whom they called, the outcome, a note);
 * full history. {@code queue=true} lists what still needs a person under the {@link ReviewPolicy}, including alerts
 * that ended by themselves unreviewed; every alert carries {@code needsReview}, {@code reviewState}, {@code slaDueAt}
 * and {@code takenBy}. Each action is one transaction: the state change, the {@code alert_actions} row and the audit
 * entry commit together; after the commit the action is pushed to the agency's live consoles so two operators do
 * not work the same alert. Thread-safe.
 */
public final class AlertRoutes {
    private static final Set<String> STATES = Set.of("OPEN", "ACKNOWLEDGED", "RESOLVED", "CLEARED");
    private static final Set<String> SEVERITIES = java.util.Arrays.stream(Severity.values()).map(Enum::name)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    private static final String COLUMNS = """
            a.id, a.type, a.severity, a.subject_id, a.device_id, a.rule_id, a.fix_time, a.detected_at, a.late, a.state,
            a.explanation, a.details::text, a.disposition, a.escalated, a.acknowledged_at, a.resolved_at, s.agency_id,
            s.display_name, s.pre_trial, a.opened_fix_time, a.cleared_fix_time, a.cleared_at,
            (select u.username from alert_actions x join users u on u.id = x.user_id
              where x.alert_id = a.id and x.action = 'ACKNOWLEDGED' order by x.id desc limit 1)""";

    private final ApiContext ctx;
    private final ReviewPolicy policy;
    private final Consumer<ObjectNode> push;

    public AlertRoutes(ApiContext ctx) {
        this(ctx, new ReviewPolicy(ReviewPolicy.DEFAULT_REVIEW_SEVERITY, EscalationJob.DEFAULT_SLA), e -> { });
    }

    /** {@code push} receives each committed action (kind {@code alert-action}, with its {@code agencyId}). */
    public AlertRoutes(ApiContext ctx, ReviewPolicy policy, Consumer<ObjectNode> push) {
        this.ctx = ctx;
        this.policy = policy;
        this.push = push;
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET", "/api/v1/alerts", Role.OPERATOR, this::list),
                new Route("GET", "/api/v1/alerts/{id}", Role.OPERATOR, this::get),
                new Route("GET", "/api/v1/alerts/{id}/history", Role.OPERATOR, this::history),
                new Route("POST", "/api/v1/alerts/{id}/acknowledge", Role.OPERATOR, r -> act(r, "ACKNOWLEDGED")),
                new Route("POST", "/api/v1/alerts/{id}/comment", Role.OPERATOR, r -> act(r, "COMMENTED")),
                new Route("POST", "/api/v1/alerts/{id}/contact", Role.OPERATOR, r -> act(r, "CONTACT")),
                new Route("POST", "/api/v1/alerts/{id}/resolve", Role.SUPERVISOR, r -> act(r, "RESOLVED")));
    }

    /**
     * The queue ({@code queue=true}, severity then age) or the history. Filters: {@code state} and {@code severity}
     * (one value or a comma list), {@code type}, {@code subjectId}, {@code agencyId} (platform users), {@code from}/
     * {@code to} on the detection time and {@code q}, a text search in the subject's name and case id and the
     * explanation. {@code order=recent} (or a {@code cursor}) orders newest first by {@code (detected_at, id)} and
     * pages by keyset: the answer's {@code nextCursor}, passed back with the same filters, continues exactly where the
     * page ended; null when there is nothing more.
     */
    private ApiResponse list(ApiRequest request) throws Exception {
        Principal p = request.principal();
        String[] states = values(request.queryParam("state"), "state", STATES);
        String[] severities = values(request.queryParam("severity"), "severity", SEVERITIES);
        String type = request.queryParam("type") == null ? null
                : Json.parseEnum("type", request.queryParam("type"), AlertType.class).name();
        long subject = request.queryParam("subjectId") == null ? 0 : Json.parseId("subjectId", request.queryParam("subjectId"));
        long agency = request.queryParam("agencyId") == null ? 0 : Json.parseId("agencyId", request.queryParam("agencyId"));
        if (!p.allAgencies()) {
            if (agency != 0 && agency != p.agencyId()) {
                throw ApiException.notFound("agency");
            }
            agency = p.agencyId();
        }
        Instant from = request.instantParam("from");
        Instant to = request.instantParam("to");
        int limit = request.intParam("limit", 200, 1, 1000);
        boolean queue = "true".equalsIgnoreCase(request.queryParam("queue"));
        String search = search(request.queryParam("q"));
        AlertCursor after = request.queryParam("cursor") == null ? null : AlertCursor.decode(request.queryParam("cursor"));
        boolean recent = after != null || "recent".equalsIgnoreCase(request.queryParam("order"));
        ArrayNode out = Json.array();
        String nextCursor = null;
        try (Connection c = ctx.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("select " + COLUMNS + """
                      from alerts a join subjects s on s.id = a.subject_id
                     where (not ? or a.state in ('OPEN', 'ACKNOWLEDGED') or (a.state = 'CLEARED' and a.severity = any (?)))
                       and (?::text[] is null or a.state = any (?)) and (?::text[] is null or a.severity = any (?))
                       and (?::text is null or a.type = ?) and (? = 0 or a.subject_id = ?) and (? = 0 or s.agency_id = ?)
                       and (?::timestamptz is null or a.detected_at >= ?) and (?::timestamptz is null or a.detected_at < ?)
                       and (?::text is null or s.display_name ilike ? or s.external_case_id ilike ? or a.explanation ilike ?)
                       and (?::timestamptz is null or (a.detected_at, a.id) < (?, ?))
                     order by\s""" + (recent ? " a.detected_at desc, a.id desc" : """
                               case a.severity when 'CRITICAL' then 0 when 'HIGH' then 1 when 'MEDIUM' then 2 else 3 end,
                              a.detected_at desc""") + " limit ?")) {
            int i = 1;
            ps.setBoolean(i++, queue);
            ps.setArray(i++, c.createArrayOf("text", java.util.Arrays.stream(Severity.values())
                    .filter(v -> policy.reviewed(v.name())).map(Enum::name).toArray()));
            java.sql.Array stateArray = states == null ? null : c.createArrayOf("text", states);
            ps.setArray(i++, stateArray);
            ps.setArray(i++, stateArray);
            java.sql.Array severityArray = severities == null ? null : c.createArrayOf("text", severities);
            ps.setArray(i++, severityArray);
            ps.setArray(i++, severityArray);
            ps.setString(i++, type);
            ps.setString(i++, type);
            ps.setLong(i++, subject);
            ps.setLong(i++, subject);
            ps.setLong(i++, agency);
            ps.setLong(i++, agency);
            Timestamp f = from == null ? null : Timestamp.from(from);
            Timestamp t = to == null ? null : Timestamp.from(to);
            ps.setTimestamp(i++, f);
            ps.setTimestamp(i++, f);
            ps.setTimestamp(i++, t);
            ps.setTimestamp(i++, t);
            for (int k = 0; k < 4; k++) {
                ps.setString(i++, search);
            }
            Timestamp cursorTime = after == null ? null : after.detectedAt();
            ps.setTimestamp(i++, cursorTime);
            ps.setTimestamp(i++, cursorTime);
            ps.setLong(i++, after == null ? 0 : after.alertId());
            ps.setInt(i, recent ? limit + 1 : limit); // one more than a page tells whether another page follows
            try (ResultSet rs = ps.executeQuery()) {
                Timestamp lastTime = null;
                long lastId = 0;
                while (rs.next()) {
                    if (out.size() == limit) {
                        nextCursor = AlertCursor.after(lastTime, lastId).encode();
                        break;
                    }
                    out.add(alert(rs));
                    lastTime = rs.getTimestamp(8);
                    lastId = rs.getLong(1);
                }
            }
        }
        ObjectNode result = Json.object().set("alerts", out);
        if (recent) {
            result.put("nextCursor", nextCursor);
        }
        result.set("policy", policy.toJson().put("timeZone", timeZone(p)));
        return ApiResponse.ok(result);
    }

    /** A comma list of allowed values (upper-cased), or null when the parameter is absent. */
    private static String[] values(String param, String name, Set<String> allowed) {
        if (param == null || param.isBlank()) {
            return null;
        }
        String[] out = upper(param).split(",");
        for (int i = 0; i < out.length; i++) {
            out[i] = out[i].strip();
            if (!allowed.contains(out[i])) {
                throw ApiException.badRequest("'" + name + "' must be one or more of " + new java.util.TreeSet<>(allowed));
            }
        }
        return out;
    }

    /** The {@code q} search as an ILIKE pattern (its own % and _ taken literally), or null. */
    private static String search(String q) {
        if (q == null || q.isBlank()) {
            return null;
        }
        if (q.length() > 200) {
            throw ApiException.badRequest("'q' must not exceed 200 characters");
        }
        return "%" + q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    /** The time zone the console shows times in: the caller's agency's; platform users see Asia/Almaty. */
    private String timeZone(Principal p) throws SQLException {
        return AgencyZone.of(ctx.dataSource(), p, 0);
    }

    private ApiResponse get(ApiRequest request) throws Exception {
        long id = request.idParam("id");
        try (Connection c = ctx.dataSource().getConnection()) {
            ObjectNode alert = visibleAlert(c, request.principal(), id);
            alert.set("history", history(c, id));
            return ApiResponse.ok(alert);
        }
    }

    private ApiResponse history(ApiRequest request) throws Exception {
        long id = request.idParam("id");
        try (Connection c = ctx.dataSource().getConnection()) {
            visibleAlert(c, request.principal(), id);
            return ApiResponse.ok(Json.object().put("alertId", Long.toString(id)).set("history", history(c, id)));
        }
    }

    /**
     * One workflow step. Acknowledge: OPEN → ACKNOWLEDGED. Resolve: OPEN, ACKNOWLEDGED or CLEARED → RESOLVED with a
     * disposition. Comment: any state. A step that does not fit the state answers 409.
     */
    private ApiResponse act(ApiRequest request, String action) throws Exception {
        long id = request.idParam("id");
        Principal p = request.principal();
        JsonNode body = request.body().length == 0 ? Json.object() : request.json();
        String note = action.equals("ACKNOWLEDGED") || action.equals("CONTACT")
                ? Json.optionalText(body, "note", 2000) : Json.requiredText(body, "note", 2000);
        Disposition disposition = action.equals("RESOLVED") ? Json.requiredEnum(body, "disposition", Disposition.class) : null;
        ContactParty party = action.equals("CONTACT") ? Json.requiredEnum(body, "party", ContactParty.class) : null;
        ContactOutcome outcome = action.equals("CONTACT") ? Json.requiredEnum(body, "outcome", ContactOutcome.class) : null;
        ObjectNode event;
        try (Connection c = ctx.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try {
                ObjectNode alert = visibleAlert(c, p, id, true);
                String state = alert.get("state").asText();
                Instant now = ctx.now();
                switch (action) {
                    case "ACKNOWLEDGED" -> transition(c, id, state, Set.of("OPEN"),
                            "update alerts set state = 'ACKNOWLEDGED', acknowledged_at = ? where id = ?", now, null);
                    case "RESOLVED" -> transition(c, id, state, Set.of("OPEN", "ACKNOWLEDGED", "CLEARED"),
                            "update alerts set state = 'RESOLVED', resolved_at = ?, disposition = ?,"
                                    + " acknowledged_at = coalesce(acknowledged_at, ?) where id = ?", now, disposition.name());
                    default -> { }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "insert into alert_actions (alert_id, user_id, action, at, note, contact_party, contact_outcome)"
                                + " values (?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setLong(1, id);
                    ps.setLong(2, p.userId());
                    ps.setString(3, action);
                    ps.setTimestamp(4, Timestamp.from(now));
                    ps.setString(5, disposition == null ? note : disposition.name() + ": " + note);
                    ps.setString(6, party == null ? null : party.name());
                    ps.setString(7, outcome == null ? null : outcome.name());
                    ps.executeUpdate();
                }
                ObjectNode details = Json.object().put("alertId", Long.toString(id)).put("type", alert.get("type").asText())
                        .put("fromState", state);
                if (disposition != null) {
                    details.put("disposition", disposition.name());
                }
                String afterState = action.equals("COMMENTED") || action.equals("CONTACT") ? state : action;
                ObjectNode after = Json.object().put("state", afterState);
                if (disposition != null) {
                    after.put("disposition", disposition.name());
                }
                if (party != null) {
                    details.put("party", party.name()).put("outcome", outcome.name());
                    after.putObject("contact").put("party", party.name()).put("outcome", outcome.name()).put("note", note);
                }
                event = Json.object().put("kind", "alert-action").put("alertId", Long.toString(id))
                        .put("agencyId", alert.get("agencyId").asText()).put("action", action).put("state", afterState)
                        .put("user", p.username()).put("at", now.toString());
                ctx.audit().append(c, p, "ALERT_" + action, alert.get("subjectId").asLong(), note, details,
                        Json.object().put("state", state), after);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            c.setAutoCommit(true);
            push.accept(event);
            ObjectNode result = visibleAlert(c, p, id);
            result.set("history", history(c, id));
            return ApiResponse.ok(result);
        }
    }

    private static void transition(Connection c, long id, String state, Set<String> allowed, String sql, Instant now,
                                   String disposition) throws SQLException {
        if (!allowed.contains(state)) {
            throw new ApiException(409, "alert_state_conflict", "the alert is " + state + "; this step needs it to be one of " + allowed);
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(now));
            if (disposition == null) {
                ps.setLong(2, id);
            } else {
                ps.setString(2, disposition);
                ps.setTimestamp(3, Timestamp.from(now));
                ps.setLong(4, id);
            }
            ps.executeUpdate();
        }
    }

    /** The alert as the API shows it when the caller's agency owns it, else 404. */
    ObjectNode visibleAlert(Connection c, Principal p, long id) throws SQLException {
        return visibleAlert(c, p, id, false);
    }

    private ObjectNode visibleAlert(Connection c, Principal p, long id, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS
                + " from alerts a join subjects s on s.id = a.subject_id where a.id = ?" + (lock ? " for update of a" : ""))) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !p.sees(rs.getLong(17))) {
                    throw ApiException.notFound("alert");
                }
                return alert(rs);
            }
        }
    }

    static ArrayNode history(Connection c, long alertId) throws SQLException {
        ArrayNode out = Json.array();
        try (PreparedStatement ps = c.prepareStatement("""
                select x.action, x.at, x.note, u.username, x.fix_time, x.contact_party, x.contact_outcome,
                       x.escalation_reason, x.sla_minutes
                  from alert_actions x left join users u on u.id = x.user_id
                where x.alert_id = ? order by x.at, x.id""")) {
            ps.setLong(1, alertId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ObjectNode entry = out.addObject().put("action", rs.getString(1)).put("at", Json.instant(rs.getTimestamp(2)))
                            .put("note", rs.getString(3)).put("user", rs.getString(4));
                    if (rs.getTimestamp(5) != null) {
                        entry.put("fixTime", Json.instant(rs.getTimestamp(5))); // a CLEARED entry: the subject's time
                    }
                    if (rs.getString(6) != null) {
                        entry.put("party", rs.getString(6)).put("outcome", rs.getString(7));
                    }
                    if (rs.getString(8) != null) {
                        entry.put("reason", rs.getString(8)).put("slaMinutes", rs.getInt(9)); // an ESCALATED entry, for translation
                    }
                }
            }
        }
        return out;
    }

    private ObjectNode alert(ResultSet rs) throws SQLException {
        ObjectNode n = Json.object().put("alertId", Long.toString(rs.getLong(1))).put("type", rs.getString(2))
                .put("severity", rs.getString(3)).put("subjectId", Long.toString(rs.getLong(4)))
                .put("deviceId", Long.toString(rs.getLong(5))).put("ruleId", Long.toString(rs.getLong(6)))
                .put("fixTime", Json.instant(rs.getTimestamp(7))).put("detectedAt", Json.instant(rs.getTimestamp(8)))
                .put("late", rs.getBoolean(9)).put("state", rs.getString(10)).put("explanation", rs.getString(11));
        try {
            n.set("details", Json.MAPPER.readTree(rs.getString(12)));
        } catch (java.io.IOException e) {
            n.putObject("details");
        }
        n.put("disposition", rs.getString(13)).put("escalated", rs.getBoolean(14))
                .put("acknowledgedAt", Json.instant(rs.getTimestamp(15))).put("resolvedAt", Json.instant(rs.getTimestamp(16)))
                .put("agencyId", Long.toString(rs.getLong(17))).put("subjectName", rs.getString(18))
                .put("presumedInnocent", rs.getBoolean(19))
                .put("autoClears", autoClears(rs.getString(2)))
                .put("openedFixTime", Json.instant(rs.getTimestamp(20)))
                .put("clearedFixTime", Json.instant(rs.getTimestamp(21)))
                .put("clearedAt", Json.instant(rs.getTimestamp(22)));
        String state = rs.getString(10);
        String severity = rs.getString(3);
        boolean needsReview = policy.needsReview(state, severity);
        Instant due = policy.dueAt(state, severity, rs.getTimestamp(8) == null ? null : rs.getTimestamp(8).toInstant(),
                rs.getTimestamp(15) != null);
        n.put("needsReview", needsReview).put("reviewState", reviewState(state, needsReview))
                .put("slaDueAt", due == null ? null : due.toString()).put("takenBy", rs.getString(23));
        return n;
    }

    /** WAITING (nobody took it), TAKEN (acknowledged), ENDED_NEEDS_REVIEW (cleared by itself, unreviewed) or DONE. */
    private static String reviewState(String state, boolean needsReview) {
        if (!needsReview) {
            return "DONE";
        }
        return switch (state) {
            case "OPEN" -> "WAITING";
            case "ACKNOWLEDGED" -> "TAKEN";
            default -> "ENDED_NEEDS_REVIEW";
        };
    }

    private static boolean autoClears(String type) {
        try {
            return AlertType.valueOf(type).autoClears();
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    private static String upper(String s) {
        return s == null ? null : s.toUpperCase(java.util.Locale.ROOT);
    }
}
