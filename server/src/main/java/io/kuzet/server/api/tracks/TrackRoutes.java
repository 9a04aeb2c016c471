package io.kuzet.server.api.tracks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kuzet.server.api.ApiContext;
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
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Location reads: a subject's track for a time range as a GeoJSON FeatureCollection (one Point per fix with time
 * and accuracy, plus the LineString) and the latest position of each visible subject. Every read is written to
 * the audit log with the caller and, when given, the purpose. Ranges are capped at {@link #MAX_RANGE}.
 * Thread-safe.
 */
public final class TrackRoutes {
    public static final Duration MAX_RANGE = Duration.ofDays(31);

    private final ApiContext ctx;
    private final TrackQueries queries;

    public TrackRoutes(ApiContext ctx) {
        this.ctx = ctx;
        this.queries = new TrackQueries(ctx.dataSource());
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET", "/api/v1/subjects/{id}/track", Role.OPERATOR, this::track),
                new Route("GET", "/api/v1/positions/latest", Role.OPERATOR, this::latest));
    }

    private ApiResponse track(ApiRequest request) throws Exception {
        long subjectId = request.idParam("id");
        Instant from = request.requiredInstantParam("from");
        Instant to = request.requiredInstantParam("to");
        checkRange(from, to);
        Principal p = request.principal();
        try (Connection c = ctx.dataSource().getConnection()) {
            SubjectScope.subjectAgency(c, p, subjectId);
        }
        List<TrackPoint> points = queries.subjectTrack(subjectId, from, to);
        ctx.audit().append(ctx.dataSource(), p, "LOCATION_TRACK_READ", subjectId, request.queryParam("purpose"),
                Json.object().put("from", from.toString()).put("to", to.toString()).put("points", points.size()));
        return ApiResponse.ok(TrackGeoJson.featureCollection(points, true));
    }

    private ApiResponse latest(ApiRequest request) throws Exception {
        Principal p = request.principal();
        int hours = request.intParam("sinceHours", 24, 1, 24 * 31);
        List<TrackPoint> points = queries.latestPerSubject(p.agencyId(), ctx.now().minus(Duration.ofHours(hours)));
        ctx.audit().append(ctx.dataSource(), p, "LOCATION_LATEST_READ", 0, request.queryParam("purpose"),
                Json.object().put("subjects", points.size()).put("sinceHours", hours));
        ObjectNode fc = TrackGeoJson.featureCollection(points, false);
        return ApiResponse.ok(fc);
    }

    static void checkRange(Instant from, Instant to) {
        if (!to.isAfter(from)) {
            throw ApiException.badRequest("'to' must be after 'from'");
        }
        if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            throw ApiException.badRequest("the range must not exceed " + MAX_RANGE.toDays() + " days");
        }
    }
}
