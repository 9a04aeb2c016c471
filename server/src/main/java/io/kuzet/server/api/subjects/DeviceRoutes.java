package io.kuzet.server.api.subjects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kuzet.server.api.ApiContext;
import io.kuzet.server.api.audit.AuditLog;
import io.kuzet.server.api.auth.Principal;
import io.kuzet.server.api.auth.Role;
import io.kuzet.server.api.http.ApiException;
import io.kuzet.server.api.http.ApiRequest;
import io.kuzet.server.api.http.ApiResponse;
import io.kuzet.server.api.http.Json;
import io.kuzet.server.api.http.Route;
import io.kuzet.server.registry.DeviceRepository;
import io.kuzet.server.registry.DeviceRole;
import io.kuzet.server.registry.RegistryWrites;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;

/**
 * Devices (admins register them; the secret key is write-only) and their assignment to subjects, with the full
 * history of which device was on whom and when. Assigning closes nothing implicitly: a device already on a subject
 * must be unassigned first (409). A device may carry {@code allowedSources} (CIDR blocks), as in provisioning files.
 * Routes parse, authorise and audit; {@link DeviceRepository} checks and writes, as for the provisioning import. Each
 * change reloads the registry, so ingestion and the core see it at once. Thread-safe.
 */
public final class DeviceRoutes {
    private final ApiContext ctx;

    public DeviceRoutes(ApiContext ctx) {
        this.ctx = ctx;
    }

    public List<Route> routes() {
        return List.of(
                new Route("GET", "/api/v1/devices", Role.ADMIN, this::list),
                new Route("POST", "/api/v1/devices", Role.ADMIN, this::create),
                new Route("POST", "/api/v1/devices/{id}/assign", Role.ADMIN, this::assign),
                new Route("POST", "/api/v1/devices/{id}/unassign", Role.ADMIN, this::unassign),
                new Route("GET", "/api/v1/devices/{id}/assignments", Role.ADMIN, this::history));
    }

    private ApiResponse list(ApiRequest request) throws Exception {
        ArrayNode out = Json.array();
        try (Connection c = ctx.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select d.id, d.protocol, d.device_number, d.role, d.firmware, a.subject_id
                     from devices d left join device_assignments a on a.device_id = d.id and a.unassigned_at is null
                     left join subjects s on s.id = a.subject_id
                     where (? = 0 or s.agency_id = ? or a.subject_id is null) order by d.id limit 5000""")) {
            ps.setLong(1, request.principal().agencyId());
            ps.setLong(2, request.principal().agencyId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long subject = rs.getLong(6);
                    var n = out.addObject().put("id", Long.toString(rs.getLong(1))).put("protocol", rs.getString(2))
                            .put("deviceNumber", Long.toString(rs.getLong(3))).put("role", rs.getString(4))
                            .put("firmware", rs.getString(5));
                    n.put("subjectId", subject == 0 ? null : Long.toString(subject));
                }
            }
        }
        return ApiResponse.ok(Json.object().set("devices", out));
    }

    private ApiResponse create(ApiRequest request) throws Exception {
        JsonNode body = request.json();
        DeviceRepository.Device device = new DeviceRepository.Device(Json.text(body, "protocol"),
                Json.requiredId(body, "deviceNumber"), Json.text(body, "secretKeyHex"),
                Json.requiredEnum(body, "role", DeviceRole.class), Json.text(body, "firmware"),
                Json.optionalTexts(body, "allowedSources"));
        try (Connection c = ctx.dataSource().getConnection()) {
            long id = AuditLog.inTransaction(c, tx -> {
                try (RegistryWrites registry = new RegistryWrites(tx)) {
                    long created = registry.devices().create(device);
                    ctx.audit().change(tx, request.principal(), "DEVICE_CREATED", 0, "devices", created, null,
                            AuditLog.row(tx, "devices", created));
                    return created;
                }
            });
            ctx.reloadRegistry();
            return ApiResponse.created(Json.object().put("id", Long.toString(id)).put("protocol", device.protocol())
                    .put("deviceNumber", Long.toString(device.number())).put("role", device.role().name()));
        }
    }

    private ApiResponse assign(ApiRequest request) throws Exception {
        long deviceId = request.idParam("id");
        long subjectId = Json.requiredId(request.json(), "subjectId");
        Instant at = Json.optionalInstant(request.json(), "at");
        Principal p = request.principal();
        try (Connection c = ctx.dataSource().getConnection()) {
            requireDevice(c, deviceId);
            SubjectScope.subjectAgency(c, p, subjectId);
            AuditLog.inTransaction(c, tx -> {
                try (RegistryWrites registry = new RegistryWrites(tx)) {
                    long created = registry.devices().assign(deviceId, subjectId, at == null ? ctx.now() : at);
                    ctx.audit().change(tx, p, "DEVICE_ASSIGNED", subjectId, "device_assignments", created, null,
                            AuditLog.row(tx, "device_assignments", created));
                }
                return null;
            });
            ctx.reloadRegistry();
            return ApiResponse.ok(Json.object().put("deviceId", Long.toString(deviceId)).put("subjectId", Long.toString(subjectId)));
        }
    }

    private ApiResponse unassign(ApiRequest request) throws Exception {
        long deviceId = request.idParam("id");
        try (Connection c = ctx.dataSource().getConnection()) {
            requireDevice(c, deviceId);
            AuditLog.inTransaction(c, tx -> {
                DeviceRepository.Unassigned closed;
                try (RegistryWrites registry = new RegistryWrites(tx)) {
                    closed = registry.devices().unassign(deviceId, ctx.now(), request.principal().agencyId());
                }
                ObjectNode after = (ObjectNode) AuditLog.row(tx, "device_assignments", closed.assignmentId());
                ObjectNode before = after.deepCopy().putNull("unassigned_at");
                ctx.audit().change(tx, request.principal(), "DEVICE_UNASSIGNED", closed.subjectId(), "device_assignments",
                        closed.assignmentId(), before, after);
                return null;
            });
            ctx.reloadRegistry();
            return ApiResponse.noContent();
        }
    }

    private ApiResponse history(ApiRequest request) throws Exception {
        long deviceId = request.idParam("id");
        ArrayNode out = Json.array();
        try (Connection c = ctx.dataSource().getConnection()) {
            requireDevice(c, deviceId);
            try (PreparedStatement ps = c.prepareStatement("""
                    select a.subject_id, a.assigned_at, a.unassigned_at from device_assignments a
                    join subjects s on s.id = a.subject_id
                    where a.device_id = ? and (? = 0 or s.agency_id = ?) order by a.assigned_at, a.id""")) {
                ps.setLong(1, deviceId);
                ps.setLong(2, request.principal().agencyId());
                ps.setLong(3, request.principal().agencyId());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.addObject().put("subjectId", Long.toString(rs.getLong(1)))
                                .put("assignedAt", Json.instant(rs.getTimestamp(2)))
                                .put("unassignedAt", Json.instant(rs.getTimestamp(3)));
                    }
                }
            }
        }
        return ApiResponse.ok(Json.object().put("deviceId", Long.toString(deviceId)).set("assignments", out));
    }

    private static void requireDevice(Connection c, long deviceId) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from devices where id = ?")) {
            ps.setLong(1, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.notFound("device");
                }
            }
        }
    }
}
