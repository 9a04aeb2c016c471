package io.kuzet.server.api.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.kuzet.server.api.ApiContext;
import io.kuzet.server.api.audit.AuditLog;
import io.kuzet.server.api.auth.Role;
import io.kuzet.server.api.http.ApiException;
import io.kuzet.server.api.http.ApiRequest;
import io.kuzet.server.api.http.ApiResponse;
import io.kuzet.server.api.http.Json;
import io.kuzet.server.api.http.Route;
import io.kuzet.server.api.subjects.SubjectScope;
import io.kuzet.server.command.CommandJson;
import io.kuzet.server.command.CommandKind;
import io.kuzet.server.command.CommandOrigin;
import io.kuzet.server.command.CommandRequest;
import io.kuzet.server.command.CommandService;
import io.kuzet.server.command.DeviceCommand;
import io.kuzet.server.command.ProtocolCommands;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;

/**
 * Commands to a subject's bracelet (docs/commands.md): an operator may ask it to locate now, report its status or
 * vibrate (a warning to the wearer); changing the reporting interval changes how the order is supervised and is a
 * supervisor's decision. Every request carries a reason and is audited with the stored command. Agency-scoped: a
 * subject of another agency is a 404. Thread-safe.
 */
public final class CommandRoutes {
    private static final int LIST_LIMIT = 100;
    private static final long MAX_TIME_TO_LIVE_S = 7 * 24 * 3600;

    private final ApiContext ctx;
    private final CommandService commands;

    public CommandRoutes(ApiContext ctx, CommandService commands) {
        this.ctx = ctx;
        this.commands = commands;
    }

    public List<Route> routes() {
        return List.of(
                new Route("POST", "/api/v1/subjects/{id}/commands", Role.OPERATOR, this::send),
                new Route("GET", "/api/v1/subjects/{id}/commands", Role.OPERATOR, this::list));
    }

    /** The least role that may send {@code kind}. */
    public static Role roleFor(CommandKind kind) {
        return kind == CommandKind.SET_REPORTING_INTERVAL ? Role.SUPERVISOR : Role.OPERATOR;
    }

    private ApiResponse send(ApiRequest request) throws Exception {
        long subjectId = request.idParam("id");
        long deviceId;
        try (Connection c = ctx.dataSource().getConnection()) {
            SubjectScope.subjectAgency(c, request.principal(), subjectId);
            deviceId = braceletOf(c, subjectId);
        }
        JsonNode body = request.json();
        CommandKind kind = Json.requiredEnum(body, "kind", CommandKind.class);
        if (!request.principal().role().atLeast(roleFor(kind))) {
            throw ApiException.forbidden(kind + " needs the " + roleFor(kind).dbValue() + " role");
        }
        long argument = body.path("argument").asLong(0);
        String problem = ProtocolCommands.argumentProblem(kind, argument);
        if (problem != null) {
            throw ApiException.badRequest(problem);
        }
        String reason = Json.requiredText(body, "reason", 500);
        long alertId = body.hasNonNull("alertId") ? body.path("alertId").asLong() : 0;
        long ttlS = body.hasNonNull("timeToLiveS") ? body.path("timeToLiveS").asLong() : commands.defaultTimeToLive().toSeconds();
        if (ttlS < 1 || ttlS > MAX_TIME_TO_LIVE_S) {
            throw ApiException.badRequest("'timeToLiveS' must be 1.." + MAX_TIME_TO_LIVE_S);
        }
        if (deviceId == 0) {
            throw ApiException.conflict("the subject wears no bracelet: assign one before sending commands");
        }
        CommandRequest command = new CommandRequest(deviceId, kind, argument, CommandOrigin.OPERATOR,
                request.principal().username(), reason, alertId, null, Duration.ofSeconds(ttlS));
        DeviceCommand stored = commands.submit(command, (tx, created) -> ctx.audit().change(tx, request.principal(),
                "COMMAND_REQUESTED", subjectId, "device_commands", created.id(), null, AuditLog.row(tx, "device_commands", created.id())));
        return ApiResponse.created(CommandJson.toJson(stored));
    }

    private ApiResponse list(ApiRequest request) throws Exception {
        long subjectId = request.idParam("id");
        try (Connection c = ctx.dataSource().getConnection()) {
            SubjectScope.subjectAgency(c, request.principal(), subjectId);
        }
        ArrayNode out = Json.array();
        for (DeviceCommand c : commands.forSubject(subjectId, LIST_LIMIT)) {
            out.add(CommandJson.toJson(c));
        }
        return ApiResponse.ok(Json.object().set("commands", out));
    }

    /** The bracelet assigned to the subject now, 0 when none. */
    private static long braceletOf(Connection c, long subjectId) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement("select d.id from device_assignments a join devices d on d.id = a.device_id "
                + "where a.subject_id = ? and a.unassigned_at is null and d.role = 'BRACELET' order by a.assigned_at desc limit 1")) {
            ps.setLong(1, subjectId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }
}
