package io.kuzet.server.api.reports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kuzet.server.alert.Severity;
import io.kuzet.server.api.ApiContext;
import io.kuzet.server.api.alerts.AgencyZone;
import io.kuzet.server.api.alerts.ReviewPolicy;
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
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The monitoring centre's figures for a period, {@code GET /api/v1/reports/alerts?from&to} (supervisors; platform
 * users may name {@code agencyId}), all computed in SQL over {@code alerts} and {@code alert_actions} of the
 * caller's agency:
 * <ul>
 * <li>alerts detected in {@code [from, to)} per type, per severity and per day (days in the agency's time zone);</li>
 * <li>time from detection to acknowledgement and to resolution, median and 90th percentile (PostgreSQL's
 * {@code percentile_cont}, interpolated), overall and per severity, over the alerts that were acknowledged or
 * resolved;</li>
 * <li>acknowledgement SLA breaches per severity under the {@link ReviewPolicy}: acknowledged later than the SLA, or
 * still waiting for a person unacknowledged past it now; and how many escalated;</li>
 * <li>per-operator workload: acknowledgements, resolutions, contact-log entries and comments each user recorded
 * in {@code [from, to)} (by the time of the action) on the agency's alerts.</li>
 * </ul>
 * Thread-safe; cost: five aggregate queries over the period's alerts.
 */
public final class ReportRoutes {
    static final Duration MAX_PERIOD = Duration.ofDays(92);
    /** The agency's alerts detected in the period: parameters agency, agency, from, to. */
    private static final String SCOPE = """
            with scope as (select a.* from alerts a join subjects s on s.id = a.subject_id
                            where (? = 0 or s.agency_id = ?) and a.detected_at >= ? and a.detected_at < ?)
            """;

    private final ApiContext ctx;
    private final ReviewPolicy policy;

    public ReportRoutes(ApiContext ctx, ReviewPolicy policy) {
        this.ctx = ctx;
        this.policy = policy;
    }

    public List<Route> routes() {
        return List.of(new Route("GET", "/api/v1/reports/alerts", Role.SUPERVISOR, this::report));
    }

    private ApiResponse report(ApiRequest request) throws Exception {
        Principal p = request.principal();
        Instant from = request.requiredInstantParam("from");
        Instant to = request.requiredInstantParam("to");
        if (!to.isAfter(from)) {
            throw ApiException.badRequest("'to' must be after 'from'");
        }
        if (Duration.between(from, to).compareTo(MAX_PERIOD) > 0) {
            throw ApiException.badRequest("the period must not exceed " + MAX_PERIOD.toDays() + " days");
        }
        long agency = request.queryParam("agencyId") == null ? 0 : Json.parseId("agencyId", request.queryParam("agencyId"));
        if (!p.allAgencies()) {
            if (agency != 0 && agency != p.agencyId()) {
                throw ApiException.notFound("agency");
            }
            agency = p.agencyId();
        }
        String zone = AgencyZone.of(ctx.dataSource(), p, agency);
        ObjectNode out = Json.object().put("from", from.toString()).put("to", to.toString()).put("timeZone", zone)
                .put("fromLocal", AgencyZone.format(from, zone)).put("toLocal", AgencyZone.format(to, zone))
                .put("agencyId", agency == 0 ? null : Long.toString(agency));
        try (Connection c = ctx.dataSource().getConnection()) {
            Window w = new Window(agency, Timestamp.from(from), Timestamp.from(to));
            out.set("byType", counts(c, w, "type"));
            out.set("bySeverity", counts(c, w, "severity"));
            out.set("byDay", byDay(c, w, zone));
            out.set("times", times(c, w));
            out.set("sla", sla(c, w));
            out.set("operators", operators(c, w));
        }
        out.put("total", sum(out.get("byType"), "alerts"));
        return ApiResponse.ok(out);
    }

    private record Window(long agency, Timestamp from, Timestamp to) {
        int bind(PreparedStatement ps, int i) throws SQLException {
            ps.setLong(i++, agency);
            ps.setLong(i++, agency);
            ps.setTimestamp(i++, from);
            ps.setTimestamp(i++, to);
            return i;
        }
    }

    /** {@code column} is a constant of this class (type or severity), never input. */
    private static ArrayNode counts(Connection c, Window w, String column) throws SQLException {
        ArrayNode out = Json.array();
        try (PreparedStatement ps = c.prepareStatement(SCOPE + "select " + column + """
                , count(*), count(*) filter (where state = 'RESOLVED'), count(*) filter (where escalated)
                  from scope group by 1 order by 2 desc, 1""")) {
            w.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.addObject().put(column, rs.getString(1)).put("alerts", rs.getLong(2)).put("resolved", rs.getLong(3))
                            .put("escalated", rs.getLong(4));
                }
            }
        }
        return out;
    }

    private static ArrayNode byDay(Connection c, Window w, String zone) throws SQLException {
        ArrayNode out = Json.array();
        try (PreparedStatement ps = c.prepareStatement(SCOPE + """
                select to_char(detected_at at time zone ?, 'YYYY-MM-DD'), count(*) from scope group by 1 order by 1""")) {
            int i = w.bind(ps, 1);
            ps.setString(i, zone);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.addObject().put("day", rs.getString(1)).put("alerts", rs.getLong(2));
                }
            }
        }
        return out;
    }

    /** Median and p90 seconds from detection to acknowledgement and to resolution: overall, then per severity. */
    private static ArrayNode times(Connection c, Window w) throws SQLException {
        ArrayNode out = Json.array();
        try (PreparedStatement ps = c.prepareStatement(SCOPE + """
                select grouping(severity) = 1, severity, count(*),
                       count(acknowledged_at),
                       percentile_cont(0.5) within group (order by extract(epoch from acknowledged_at - detected_at)),
                       percentile_cont(0.9) within group (order by extract(epoch from acknowledged_at - detected_at)),
                       count(resolved_at),
                       percentile_cont(0.5) within group (order by extract(epoch from resolved_at - detected_at)),
                       percentile_cont(0.9) within group (order by extract(epoch from resolved_at - detected_at))
                  from scope group by grouping sets ((), (severity))
                 order by 1 desc, case severity when 'CRITICAL' then 0 when 'HIGH' then 1 when 'MEDIUM' then 2 else 3 end""")) {
            w.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ObjectNode row = out.addObject().put("severity", rs.getBoolean(1) ? "ALL" : rs.getString(2))
                            .put("alerts", rs.getLong(3)).put("acknowledged", rs.getLong(4));
                    seconds(row, "ackMedianSeconds", rs, 5);
                    seconds(row, "ackP90Seconds", rs, 6);
                    row.put("resolved", rs.getLong(7));
                    seconds(row, "resolveMedianSeconds", rs, 8);
                    seconds(row, "resolveP90Seconds", rs, 9);
                }
            }
        }
        return out;
    }

    /** Acknowledgement SLA breaches per severity, with the SLA applied. */
    private ArrayNode sla(Connection c, Window w) throws SQLException {
        ArrayNode out = Json.array();
        String[] severities = Arrays.stream(Severity.values()).map(Enum::name).toArray(String[]::new);
        Long[] slaSeconds = Arrays.stream(severities).map(s -> policy.ackSla(s).toSeconds()).toArray(Long[]::new);
        String[] reviewed = Arrays.stream(severities).filter(policy::reviewed).toArray(String[]::new);
        try (PreparedStatement ps = c.prepareStatement(SCOPE + """
                , sla as (select * from unnest(?::text[], ?::bigint[]) as t(severity, seconds)),
                  judged as (select scope.severity, scope.escalated, sla.seconds,
                                    case when acknowledged_at is not null
                                         then acknowledged_at > detected_at + make_interval(secs => sla.seconds)
                                         when state = 'OPEN' or (state = 'CLEARED' and scope.severity = any (?))
                                         then ? > detected_at + make_interval(secs => sla.seconds)
                                         else false end as breached
                               from scope join sla on sla.severity = scope.severity)
                select severity, min(seconds), count(*), count(*) filter (where breached), count(*) filter (where escalated)
                  from judged group by severity
                 order by case severity when 'CRITICAL' then 0 when 'HIGH' then 1 when 'MEDIUM' then 2 else 3 end""")) {
            int i = w.bind(ps, 1);
            ps.setArray(i++, c.createArrayOf("text", severities));
            ps.setArray(i++, c.createArrayOf("bigint", slaSeconds));
            ps.setArray(i++, c.createArrayOf("text", reviewed));
            ps.setTimestamp(i, Timestamp.from(ctx.now()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.addObject().put("severity", rs.getString(1)).put("ackSlaSeconds", rs.getLong(2))
                            .put("alerts", rs.getLong(3)).put("breaches", rs.getLong(4)).put("escalated", rs.getLong(5));
                }
            }
        }
        return out;
    }

    private static ArrayNode operators(Connection c, Window w) throws SQLException {
        ArrayNode out = Json.array();
        try (PreparedStatement ps = c.prepareStatement("""
                select u.username, count(*) filter (where x.action = 'ACKNOWLEDGED'), count(*) filter (where x.action = 'RESOLVED'),
                       count(*) filter (where x.action = 'CONTACT'), count(*) filter (where x.action = 'COMMENTED'),
                       count(distinct x.alert_id)
                  from alert_actions x join users u on u.id = x.user_id
                  join alerts a on a.id = x.alert_id join subjects s on s.id = a.subject_id
                 where (? = 0 or s.agency_id = ?) and x.at >= ? and x.at < ?
                 group by u.username order by count(*) desc, u.username""")) {
            w.bind(ps, 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.addObject().put("user", rs.getString(1)).put("acknowledged", rs.getLong(2)).put("resolved", rs.getLong(3))
                            .put("contacts", rs.getLong(4)).put("comments", rs.getLong(5)).put("alerts", rs.getLong(6));
                }
            }
        }
        return out;
    }

    private static void seconds(ObjectNode row, String field, ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        if (rs.wasNull()) {
            row.putNull(field);
        } else {
            row.put(field, Math.round(v * 10) / 10.0);
        }
    }

    private static long sum(com.fasterxml.jackson.databind.JsonNode rows, String field) {
        long total = 0;
        for (var row : rows) {
            total += row.get(field).asLong();
        }
        return total;
    }
}
