package io.kuzet.server.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kuzet.server.api.http.Json;
import java.time.Instant;

/** A command as the API and the live stream show it (ids as strings, times ISO-8601, absent times null). */
public final class CommandJson {
    private CommandJson() {
    }

    public static ObjectNode toJson(DeviceCommand c) {
        ObjectNode n = Json.object().put("id", Long.toString(c.id())).put("deviceId", Long.toString(c.deviceId()))
                .put("subjectId", c.subjectId() == 0 ? null : Long.toString(c.subjectId())).put("protocol", c.protocol())
                .put("kind", c.kind().name()).put("argument", c.argument()).put("origin", c.origin().name())
                .put("requestedBy", c.requestedBy()).put("reason", c.reason())
                .put("alertId", c.alertId() == 0 ? null : Long.toString(c.alertId())).put("state", c.state().name())
                .put("attempts", c.attempts()).put("result", c.result());
        n.put("createdAt", time(c.createdAt())).put("expiresAt", time(c.expiresAt())).put("sentAt", time(c.sentAt()))
                .put("finishedAt", time(c.finishedAt()));
        return n;
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
