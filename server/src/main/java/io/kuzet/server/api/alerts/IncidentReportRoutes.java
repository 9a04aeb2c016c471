package io.kuzet.server.api.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kuzet.server.api.ApiContext;
import io.kuzet.server.api.auth.Principal;
import io.kuzet.server.api.auth.Role;
import io.kuzet.server.api.http.ApiException;
import io.kuzet.server.api.http.ApiRequest;
import io.kuzet.server.api.http.ApiResponse;
import io.kuzet.server.api.http.Json;
import io.kuzet.server.api.http.Route;
import io.kuzet.server.store.TrackPoint;
import io.kuzet.server.store.TrackQueries;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The printable incident report of one alert, {@code GET /api/v1/alerts/{id}/report?lang=en|ru|kk&purpose=...}:
 * a print-ready HTML page (A4, {@code @media print}) with the alert, the subject, the explanation, a static map
 * of the zone and the track around the incident, the track's fixes and the full history with the contact log, all
 * times in the agency's time zone. Reading it is evidence access: every read is written to the audit log
 * ({@code ALERT_REPORT_READ}, with the alert, the number of fixes and the purpose when given). Thread-safe.
 */
public final class IncidentReportRoutes {
    /** Track shown before the first violating fix and after the clearing one. */
    static final Duration MARGIN = Duration.ofMinutes(30);
    /** At most this long a track, for an alert that never cleared. */
    static final Duration MAX_TRACK = Duration.ofHours(24);

    private final ApiContext ctx;
    private final AlertRoutes alerts;
    private final TrackQueries tracks;

    public IncidentReportRoutes(ApiContext ctx, AlertRoutes alerts) {
        this.ctx = ctx;
        this.alerts = alerts;
        this.tracks = new TrackQueries(ctx.dataSource());
    }

    public List<Route> routes() {
        return List.of(new Route("GET", "/api/v1/alerts/{id}/report", Role.OPERATOR, this::report));
    }

    private ApiResponse report(ApiRequest request) throws Exception {
        long id = request.idParam("id");
        Principal p = request.principal();
        String lang = request.queryParam("lang") == null ? "en" : request.queryParam("lang");
        if (!IncidentReportPage.LANGUAGES.contains(lang)) {
            throw ApiException.badRequest("'lang' must be one of " + IncidentReportPage.LANGUAGES);
        }
        String purpose = request.queryParam("purpose");
        if (purpose != null && purpose.length() > 500) {
            throw ApiException.badRequest("'purpose' must not exceed 500 characters");
        }
        ObjectNode alert;
        ArrayNode history;
        IncidentReportPage.Context context;
        try (Connection c = ctx.dataSource().getConnection()) {
            alert = alerts.visibleAlert(c, p, id);
            history = AlertRoutes.history(c, id);
            context = context(c, id, AgencyZone.of(c, alert.get("agencyId").asLong()));
        }
        Instant fix = Instant.parse(alert.get("fixTime").asText());
        Instant start = instant(alert, "openedFixTime", fix).minus(MARGIN);
        Instant end = instant(alert, "clearedFixTime", fix).plus(MARGIN);
        if (Duration.between(start, end).compareTo(MAX_TRACK) > 0) {
            end = start.plus(MAX_TRACK);
        }
        List<TrackPoint> track = tracks.subjectTrack(alert.get("subjectId").asLong(), start, end);
        String html = IncidentReportPage.html(lang, alert, history, context, track, start, end, p.username(), ctx.now());
        ctx.audit().append(ctx.dataSource(), p, "ALERT_REPORT_READ", alert.get("subjectId").asLong(),
                purpose == null || purpose.isBlank() ? null : purpose.strip(), Json.object().put("alertId", Long.toString(id))
                        .put("fixes", track.size()).put("historyEntries", history.size()).put("lang", lang)
                        .put("from", start.toString()).put("to", end.toString()));
        return new ApiResponse(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8))
                .header("Cache-Control", "no-store");
    }

    private static Instant instant(JsonNode alert, String field, Instant fallback) {
        JsonNode v = alert.get(field);
        return v == null || v.isNull() ? fallback : Instant.parse(v.asText());
    }

    private static IncidentReportPage.Context context(Connection c, long alertId, String zone) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select s.external_case_id, ag.name, z.name, z.geojson::text, r.name
                  from alerts a join subjects s on s.id = a.subject_id join agencies ag on ag.id = s.agency_id
                  left join rules r on r.id = a.rule_id left join zones z on z.id = r.zone_id
                 where a.id = ?""")) {
            ps.setLong(1, alertId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                JsonNode geojson = rs.getString(4) == null ? null : Json.MAPPER.readTree(rs.getString(4));
                return new IncidentReportPage.Context(rs.getString(1), rs.getString(2), rs.getString(3), geojson, rs.getString(5), zone);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("stored zone GeoJSON does not parse", e);
            }
        }
    }
}
