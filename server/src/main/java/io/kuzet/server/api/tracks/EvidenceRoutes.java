package io.kuzet.server.api.tracks;

import io.kuzet.server.api.ApiContext;
import io.kuzet.server.api.audit.AuditLog;
import io.kuzet.server.api.auth.Principal;
import io.kuzet.server.api.auth.Role;
import io.kuzet.server.api.http.ApiException;
import io.kuzet.server.api.http.ApiRequest;
import io.kuzet.server.api.http.ApiResponse;
import io.kuzet.server.api.http.Json;
import io.kuzet.server.api.http.Route;
import io.kuzet.server.api.subjects.SubjectScope;
import io.kuzet.server.store.TrackPoint;
import io.kuzet.server.store.TrackQueries;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * Evidence export for a court: {@code GET /api/v1/subjects/{id}/evidence?from&to&format=geojson|csv&purpose=...}
 * (supervisors). The body's SHA-256 goes in the {@code X-Kuzet-SHA256} header and in the audit entry, and the
 * window is put under legal hold (table {@code legal_holds}) so retention never deletes what was exported; the hold
 * and the audit entry commit together. A purpose is required. Thread-safe.
 */
public final class EvidenceRoutes {
    public static final String DIGEST_HEADER = "X-Kuzet-SHA256";

    private final ApiContext ctx;
    private final TrackQueries queries;

    public EvidenceRoutes(ApiContext ctx) {
        this.ctx = ctx;
        this.queries = new TrackQueries(ctx.dataSource());
    }

    public List<Route> routes() {
        return List.of(new Route("GET", "/api/v1/subjects/{id}/evidence", Role.SUPERVISOR, this::export));
    }

    private ApiResponse export(ApiRequest request) throws Exception {
        long subjectId = request.idParam("id");
        Instant from = request.requiredInstantParam("from");
        Instant to = request.requiredInstantParam("to");
        TrackRoutes.checkRange(from, to);
        String format = request.queryParam("format") == null ? "geojson" : request.queryParam("format");
        if (!format.equals("geojson") && !format.equals("csv")) {
            throw ApiException.badRequest("'format' must be geojson or csv");
        }
        String purpose = request.queryParam("purpose");
        if (purpose == null || purpose.isBlank() || purpose.length() > 500) {
            throw ApiException.badRequest("query parameter 'purpose' is required (why the evidence is exported, up to 500 characters)");
        }
        Principal p = request.principal();
        try (Connection c = ctx.dataSource().getConnection()) {
            SubjectScope.subjectAgency(c, p, subjectId);
            List<TrackPoint> fixes = queries.subjectTrack(subjectId, from, to);
            List<EvidenceExport.Event> events = EvidenceExport.events(c, subjectId, from, to);
            List<EvidenceExport.AlertRow> alerts = EvidenceExport.alerts(c, subjectId, from, to);
            String body = format.equals("csv") ? EvidenceExport.csv(fixes, events, alerts)
                    : EvidenceExport.geoJson(subjectId, from, to, fixes, events, alerts);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            String digest = AuditLog.hex(MessageDigest.getInstance("SHA-256").digest(bytes));
            c.setAutoCommit(false);
            try {
                hold(c, subjectId, from, to, p, digest);
                ctx.audit().append(c, p, "EVIDENCE_EXPORT", subjectId, purpose.strip(), Json.object()
                        .put("from", from.toString()).put("to", to.toString()).put("format", format).put("sha256", digest)
                        .put("fixes", fixes.size()).put("events", events.size()).put("alerts", alerts.size()));
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
            String type = format.equals("csv") ? "text/csv; charset=utf-8" : "application/geo+json";
            String file = "subject-" + subjectId + "-" + from.toEpochMilli() + "-" + to.toEpochMilli() + "." + format;
            return new ApiResponse(200, type, bytes).header(DIGEST_HEADER, digest)
                    .header("Content-Disposition", "attachment; filename=\"" + file + "\"");
        }
    }

    private void hold(Connection c, long subjectId, Instant from, Instant to, Principal p, String digest) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into legal_holds (subject_id, from_time, to_time, reason, created_by) values (?, ?, ?, ?, ?)",
                java.sql.Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, subjectId);
            ps.setTimestamp(2, Timestamp.from(from));
            ps.setTimestamp(3, Timestamp.from(to));
            ps.setString(4, "evidence export sha256=" + digest);
            ps.setString(5, p.username());
            ps.executeUpdate();
            long id = io.kuzet.server.api.auth.UserRoutes.generatedId(ps);
            ctx.audit().change(c, p, "LEGAL_HOLD_CREATED", subjectId, "legal_holds", id, null, AuditLog.row(c, "legal_holds", id));
        }
    }
}
