package io.kuzet.server.api.subjects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kuzet.geofence.zone.GeoJsonZoneReader;
import io.kuzet.server.api.ApiContext;
import io.kuzet.server.api.audit.AuditLog;
import io.kuzet.server.api.auth.Role;
import io.kuzet.server.api.http.ApiException;
import io.kuzet.server.api.http.ApiRequest;
import io.kuzet.server.api.http.ApiResponse;
import io.kuzet.server.api.http.Json;
import io.kuzet.server.api.http.Route;
import io.kuzet.server.registry.RegistryWrites;
import io.kuzet.server.registry.ZoneRepository;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;

/**
 * Zones as GeoJSON Features (WGS84): Polygon/MultiPolygon, Point with {@code properties.radius_m} (circle) or
 * LineString with {@code properties.width_m} (corridor), with an optional free-text {@code kind} (AREA when none is
 * given; an update without one keeps it). Every upload is validated by the geofence module's {@link GeoJsonZoneReader}
 * in {@link ZoneRepository}, as the provisioning import's zones are, so the core never meets a zone it cannot build;
 * its message is returned as the 400. An update reloads the registry and takes effect without a restart. Thread-safe.
 */
public final class ZoneRoutes {
    private final ApiContext ctx;

    public ZoneRoutes(ApiContext ctx) {
        this.ctx = ctx;
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET", "/api/v1/zones", Role.OPERATOR, this::list),
                new Route("POST", "/api/v1/zones", Role.SUPERVISOR, this::create),
                new Route("GET", "/api/v1/zones/{id}", Role.OPERATOR, this::get),
                new Route("PUT", "/api/v1/zones/{id}", Role.SUPERVISOR, this::update));
    }

    private ApiResponse list(ApiRequest request) throws Exception {
        ArrayNode features = Json.array();
        try (Connection c = ctx.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select id, agency_id, name, geojson::text from zones where (? = 0 or agency_id = ?) order by id limit 5000")) {
            ps.setLong(1, request.principal().agencyId());
            ps.setLong(2, request.principal().agencyId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    features.add(feature(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return ApiResponse.ok(Json.object().put("type", "FeatureCollection").set("features", features));
    }

    private ApiResponse get(ApiRequest request) throws Exception {
        long id = request.idParam("id");
        try (Connection c = ctx.dataSource().getConnection()) {
            SubjectScope.zoneAgency(c, request.principal(), id);
            try (PreparedStatement ps = c.prepareStatement("select id, agency_id, name, geojson::text from zones where id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return ApiResponse.ok(feature(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
    }

    private ApiResponse create(ApiRequest request) throws Exception {
        JsonNode body = request.json();
        long agencyId = SubjectScope.targetAgency(request.principal(),
                body.hasNonNull("agencyId") ? Json.requiredId(body, "agencyId") : 0);
        ZoneRepository.Zone zone = zone(agencyId, body);
        try (Connection c = ctx.dataSource().getConnection()) {
            long id = AuditLog.inTransaction(c, tx -> {
                try (RegistryWrites registry = new RegistryWrites(tx)) {
                    long created = registry.zones().create(zone);
                    ctx.audit().change(tx, request.principal(), "ZONE_CREATED", 0, "zones", created, null,
                            AuditLog.row(tx, "zones", created));
                    return created;
                }
            });
            ctx.reloadRegistry();
            return ApiResponse.created(feature(id, agencyId, zone.name(), zone.geoJson()));
        }
    }

    private ApiResponse update(ApiRequest request) throws Exception {
        long id = request.idParam("id");
        JsonNode body = request.json();
        try (Connection c = ctx.dataSource().getConnection()) {
            long agencyId = SubjectScope.zoneAgency(c, request.principal(), id);
            ZoneRepository.Zone zone = zone(agencyId, body);
            AuditLog.inTransaction(c, tx -> {
                JsonNode before = AuditLog.row(tx, "zones", id);
                try (RegistryWrites registry = new RegistryWrites(tx)) {
                    registry.zones().update(id, zone);
                }
                ctx.audit().change(tx, request.principal(), "ZONE_UPDATED", 0, "zones", id, before, AuditLog.row(tx, "zones", id));
                return null;
            });
            ctx.reloadRegistry();
            return ApiResponse.ok(feature(id, agencyId, zone.name(), zone.geoJson()));
        }
    }

    /** The body as a zone: {@code name}, optional {@code kind}, {@code geojson} (an object, checked by the registry). */
    private static ZoneRepository.Zone zone(long agencyId, JsonNode body) {
        JsonNode geo = body.get("geojson");
        if (geo != null && !geo.isObject()) {
            throw ApiException.badRequest("'geojson' is required: a GeoJSON Feature or geometry object");
        }
        return new ZoneRepository.Zone(agencyId, Json.text(body, "name"), Json.text(body, "kind"),
                geo == null ? null : Json.write(geo));
    }

    private static ObjectNode feature(long id, long agencyId, String name, String geojson) throws java.io.IOException {
        JsonNode stored = Json.MAPPER.readTree(geojson);
        ObjectNode f = Json.object().put("type", "Feature").put("id", Long.toString(id));
        JsonNode geometry = "Feature".equals(stored.path("type").asText()) ? stored.get("geometry") : stored;
        f.set("geometry", geometry);
        ObjectNode props = stored.path("properties").isObject() ? ((ObjectNode) stored.get("properties")).deepCopy() : Json.object();
        props.put("name", name).put("agencyId", Long.toString(agencyId));
        f.set("properties", props);
        return f;
    }
}
