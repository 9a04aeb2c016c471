package io.kuzet.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kuzet.server.testing.RunningServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User lifecycle, audit coverage with before/after values and the keyed audit chain, over real HTTP and PostgreSQL. */
class UserLifecycleAndAuditTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NEW_PASSWORD = "a much longer new secret";

    @TempDir
    Path dataDir;
    ApiHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new ApiHarness(dataDir);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private long userId(String username) throws Exception {
        return h.scalar("select id from users where username = '" + username + "'");
    }

    private String loginWith(String username, String password) throws Exception {
        HttpResponse<String> r = h.send("POST", "/api/v1/auth/login", null,
                "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("token").asText();
    }

    /** The newest audit row of this action: [before, after] as JSON (JSON null when absent). */
    private JsonNode[] lastAudit(String action) throws Exception {
        try (Connection c = h.db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select before::text, after::text, user_id from audit_log where action = ? order by id desc limit 1")) {
            ps.setString(1, action);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "an audit row " + action + " exists");
                return new JsonNode[] {JSON.readTree(rs.getString(1) == null ? "null" : rs.getString(1)),
                        JSON.readTree(rs.getString(2) == null ? "null" : rs.getString(2))};
            }
        }
    }

    private void adminInAgency(String username, long agency) throws Exception {
        h.exec("insert into users (username, password_hash, role, agency_id) values ('" + username + "', '"
                + at.favre.lib.crypto.bcrypt.BCrypt.withDefaults().hashToString(4, ApiHarness.PASSWORD.toCharArray())
                + "', 'admin', " + agency + ")");
    }

    @Test
    void proximityRuleCannotPointAtAnotherAgencysVictimUnit() throws Exception {
        String admin = h.login("admin");
        String victim = h.json("POST", "/api/v1/devices", admin,
                "{\"protocol\":\"gt06\",\"deviceNumber\":\"868120145233699\",\"role\":\"VICTIM_UNIT\"}", 201).get("id").asText();
        String astSupervisor = "sup-ast";
        h.exec("insert into users (username, password_hash, role, agency_id) values ('" + astSupervisor + "', '"
                + at.favre.lib.crypto.bcrypt.BCrypt.withDefaults().hashToString(4, ApiHarness.PASSWORD.toCharArray())
                + "', 'supervisor', 2)");
        String ast = h.login(astSupervisor);
        String alm = h.login("sup-alm");
        String rule = "{\"name\":\"Keep away\",\"kind\":\"PROXIMITY\",\"victimDeviceId\":\"" + victim + "\",\"distanceM\":500}";
        h.json("POST", "/api/v1/orders/200/rules", ast, rule, 201);
        HttpResponse<String> foreign = h.send("POST", "/api/v1/orders/100/rules", alm, rule);
        assertEquals(404, foreign.statusCode(), foreign.body());
        HttpResponse<String> bracelet = h.send("POST", "/api/v1/orders/100/rules", alm,
                "{\"name\":\"Keep away\",\"kind\":\"PROXIMITY\",\"victimDeviceId\":\"1000\",\"distanceM\":500}");
        assertEquals(400, bracelet.statusCode(), "the bracelet of the own subject is no victim unit: " + bracelet.body());
        assertEquals(1, h.scalar("select count(*) from rules where victim_device_id = " + victim));
    }

    @Test
    void userChangesOwnPasswordOnlyWithTheCurrentOneAndOtherSessionsEnd() throws Exception {
        String first = h.login("op-alm");
        String second = h.login("op-alm");
        assertEquals(403, h.send("POST", "/api/v1/auth/password", first,
                "{\"currentPassword\":\"wrong wrong wrong\",\"newPassword\":\"" + NEW_PASSWORD + "\"}").statusCode());
        HttpResponse<String> tooShort = h.send("POST", "/api/v1/auth/password", first,
                "{\"currentPassword\":\"" + ApiHarness.PASSWORD + "\",\"newPassword\":\"short\"}");
        assertEquals(400, tooShort.statusCode(), tooShort.body());
        h.json("POST", "/api/v1/auth/password", first,
                "{\"currentPassword\":\"" + ApiHarness.PASSWORD + "\",\"newPassword\":\"" + NEW_PASSWORD + "\"}", 204);
        assertEquals(200, h.send("GET", "/api/v1/auth/me", first, null).statusCode(), "the session that changed it goes on");
        assertEquals(401, h.send("GET", "/api/v1/auth/me", second, null).statusCode(), "other sessions end");
        assertEquals(401, h.send("POST", "/api/v1/auth/login", null,
                "{\"username\":\"op-alm\",\"password\":\"" + ApiHarness.PASSWORD + "\"}").statusCode());
        loginWith("op-alm", NEW_PASSWORD);
        JsonNode[] audit = lastAudit("USER_PASSWORD_CHANGED");
        assertFalse(audit[1].toString().contains("password_hash"), "no hash in the audit log: " + audit[1]);
    }

    @Test
    void agencyAdminResetsOnlyOwnAgencyUsersAndTheOneTimePasswordForcesAChange() throws Exception {
        adminInAgency("admin-alm", 1);
        String almAdmin = h.login("admin-alm");
        long opAst = userId("op-ast");
        long opAlm = userId("op-alm");
        assertEquals(404, h.send("POST", "/api/v1/users/" + opAst + "/reset-password", almAdmin, null).statusCode());
        assertEquals(404, h.send("POST", "/api/v1/users/" + userId("admin") + "/reset-password", almAdmin, null).statusCode(),
                "an agency admin cannot reset the platform admin");
        String old = h.login("op-alm");
        String oneTime = h.json("POST", "/api/v1/users/" + opAlm + "/reset-password", almAdmin, null, 200)
                .get("oneTimePassword").asText();
        assertEquals(401, h.send("GET", "/api/v1/auth/me", old, null).statusCode(), "the reset ends the user's sessions");

        String token = loginWith("op-alm", oneTime);
        HttpResponse<String> blocked = h.send("GET", "/api/v1/alerts", token, null);
        assertEquals(403, blocked.statusCode());
        assertEquals("password_change_required", JSON.readTree(blocked.body()).get("error").asText());
        h.json("POST", "/api/v1/auth/password", token,
                "{\"currentPassword\":\"" + oneTime + "\",\"newPassword\":\"" + NEW_PASSWORD + "\"}", 204);
        assertEquals(200, h.send("GET", "/api/v1/alerts", token, null).statusCode());
        JsonNode[] audit = lastAudit("USER_PASSWORD_RESET");
        assertTrue(audit[1].get("must_change_password").asBoolean(), audit[1].toString());
    }

    @Test
    void disablingAUserEndsItsSessionsAndEnablingLetsItLogInAgain() throws Exception {
        String admin = h.login("admin");
        String operator = h.login("op-alm");
        long id = userId("op-alm");
        assertEquals(400, h.send("POST", "/api/v1/users/" + userId("admin") + "/disable", admin, null).statusCode(),
                "nobody disables themselves");
        h.json("POST", "/api/v1/users/" + id + "/disable", admin, null, 200);
        assertEquals(401, h.send("GET", "/api/v1/auth/me", operator, null).statusCode());
        assertEquals(0, h.scalar("select count(*) from api_tokens where user_id = " + id), "tokens revoked in the store");
        assertEquals(401, h.send("POST", "/api/v1/auth/login", null,
                "{\"username\":\"op-alm\",\"password\":\"" + ApiHarness.PASSWORD + "\"}").statusCode());
        JsonNode[] audit = lastAudit("USER_DISABLED");
        assertFalse(audit[0].get("disabled").asBoolean());
        assertTrue(audit[1].get("disabled").asBoolean());
        h.json("POST", "/api/v1/users/" + id + "/enable", admin, null, 200);
        h.login("op-alm");
    }

    @Test
    void roleChangeRevokesTheUsersTokensAndIsAudited() throws Exception {
        String admin = h.login("admin");
        String supervisor = h.login("sup-alm");
        long id = userId("sup-alm");
        h.json("PUT", "/api/v1/users/" + id + "/role", admin, "{\"role\":\"OPERATOR\"}", 200);
        assertEquals(401, h.send("GET", "/api/v1/auth/me", supervisor, null).statusCode());
        assertEquals("operator", h.json("GET", "/api/v1/auth/me", h.login("sup-alm"), null, 200).get("role").asText());
        JsonNode[] audit = lastAudit("USER_ROLE_CHANGED");
        assertEquals("supervisor", audit[0].get("role").asText());
        assertEquals("operator", audit[1].get("role").asText());
    }

    @Test
    void userCreationIsAuditedWithoutThePasswordHash() throws Exception {
        String admin = h.login("admin");
        h.json("POST", "/api/v1/users", admin,
                "{\"username\":\"new-op\",\"password\":\"" + NEW_PASSWORD + "\",\"role\":\"OPERATOR\",\"agencyId\":\"1\"}", 201);
        JsonNode[] audit = lastAudit("USER_CREATED");
        assertTrue(audit[0].isNull());
        assertEquals("new-op", audit[1].get("username").asText());
        assertFalse(audit[1].has("password_hash"));
    }

    @Test
    void zoneEditRuleDeactivationExceptionAndAssignmentLeaveAuditRowsWithBeforeAndAfter() throws Exception {
        String supervisor = h.login("sup-alm");
        String zone = "{\"name\":\"Victim home moved\",\"geojson\":{\"type\":\"Feature\",\"properties\":{\"radius_m\":50},"
                + "\"geometry\":{\"type\":\"Point\",\"coordinates\":[76.95,43.24]}}}";
        h.json("PUT", "/api/v1/zones/500", supervisor, zone, 200);
        JsonNode[] zoneAudit = lastAudit("ZONE_UPDATED");
        assertEquals("Victim home", zoneAudit[0].get("name").asText());
        assertEquals("Victim home moved", zoneAudit[1].get("name").asText());

        h.json("POST", "/api/v1/rules/5000/exceptions", supervisor,
                "{\"date\":\"2026-06-01\",\"start\":\"09:00\",\"end\":\"13:00\",\"action\":\"remove\",\"reason\":\"court date\"}", 201);
        JsonNode[] exception = lastAudit("RULE_EXCEPTION_ADDED");
        assertEquals("court date", exception[1].get("reason").asText());

        h.json("POST", "/api/v1/rules/5000/deactivate", supervisor, null, 204);
        JsonNode[] rule = lastAudit("RULE_DEACTIVATED");
        assertTrue(rule[0].get("active").asBoolean());
        assertFalse(rule[1].get("active").asBoolean());

        String admin = h.login("admin");
        h.json("POST", "/api/v1/devices/1000/unassign", admin, null, 204);
        JsonNode[] unassigned = lastAudit("DEVICE_UNASSIGNED");
        assertTrue(unassigned[0].get("unassigned_at").isNull());
        assertFalse(unassigned[1].get("unassigned_at").isNull());
        h.json("POST", "/api/v1/devices/1000/assign", admin, "{\"subjectId\":\"10\"}", 200);
        JsonNode[] assigned = lastAudit("DEVICE_ASSIGNED");
        assertEquals(10, assigned[1].get("subject_id").asLong());
        assertEquals(10, h.scalar("select subject_id from audit_log where action = 'DEVICE_ASSIGNED'"),
                "assignment rows name the subject, so agency admins see them");
    }

    @Test
    void evidenceExportAuditsTheLegalHoldItCreates() throws Exception {
        Instant t = Instant.ofEpochMilli(RunningServer.T0);
        String supervisor = h.login("sup-alm");
        h.json("GET", "/api/v1/subjects/10/evidence?from=" + t.minusSeconds(60) + "&to=" + t + "&purpose=court", supervisor, null, 200);
        JsonNode[] hold = lastAudit("LEGAL_HOLD_CREATED");
        assertEquals(10, hold[1].get("subject_id").asLong());
        assertTrue(hold[0].isNull());
    }

    @Test
    void entryAppendedWithAnotherKeyIsReportedBrokenAtItsId() throws Exception {
        String admin = h.login("admin");
        h.json("GET", "/api/v1/positions/latest", admin, null, 200);
        byte[] wrongKey = new byte[32];
        java.util.Arrays.fill(wrongKey, (byte) 7);
        new io.kuzet.server.api.audit.AuditLog(Instant::now, wrongKey).append(h.db.dataSource(), null, "FORGED", 0, null, null);
        JsonNode broken = h.json("GET", "/api/v1/audit/verify", admin, null, 200);
        assertFalse(broken.get("intact").asBoolean(), broken.toString());
        assertEquals(h.scalar("select id from audit_log where action = 'FORGED'"), broken.get("brokenAtId").asLong());
        assertTrue(broken.get("problem").asText().contains("audit key"), broken.toString());
    }

    @Test
    void auditChainRebuiltWithPlainSha256IsReportedBroken() throws Exception {
        String admin = h.login("admin");
        for (int i = 0; i < 3; i++) {
            h.json("GET", "/api/v1/positions/latest", admin, null, 200);
        }
        assertTrue(h.json("GET", "/api/v1/audit/verify", admin, null, 200).get("intact").asBoolean());
        long second = h.scalar("select id from audit_log order by id offset 1 limit 1");
        // An insider who owns the table edits an entry and recomputes every link after it with plain SHA-256,
        // as the unkeyed chain allowed.
        h.exec("alter table audit_log disable trigger audit_log_no_update");
        try (Connection c = h.db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("update audit_log set purpose = 'nothing to see' where id = " + second);
            byte[] prev = new byte[32];
            List<Object[]> rows = new java.util.ArrayList<>();
            try (ResultSet rs = s.executeQuery("""
                    select id, at, coalesce(user_id, 0), action, coalesce(subject_id, 0), purpose, details::text
                    from audit_log order by id""")) {
                while (rs.next()) {
                    rows.add(new Object[] {rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getLong(3), rs.getString(4),
                            rs.getLong(5), rs.getString(6), rs.getString(7)});
                }
            }
            try (PreparedStatement ps = c.prepareStatement("update audit_log set prev_hash = ?, hash = ? where id = ?")) {
                for (Object[] r : rows) {
                    Instant at = (Instant) r[1];
                    long micros = at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
                    String canonical = micros + "\n" + r[2] + "\n" + r[3] + "\n" + r[4] + "\n" + (r[5] == null ? "" : r[5]) + "\n" + r[6];
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    sha.update(prev);
                    sha.update(canonical.getBytes(StandardCharsets.UTF_8));
                    byte[] hash = sha.digest();
                    ps.setBytes(1, prev);
                    ps.setBytes(2, hash);
                    ps.setLong(3, (Long) r[0]);
                    ps.executeUpdate();
                    prev = hash;
                }
            }
        } finally {
            h.exec("alter table audit_log enable trigger audit_log_no_update");
        }
        JsonNode broken = h.json("GET", "/api/v1/audit/verify", admin, null, 200);
        assertFalse(broken.get("intact").asBoolean(), broken.toString());
        assertNotNull(broken.get("brokenAtId"));
        assertEquals(h.scalar("select min(id) from audit_log"), broken.get("brokenAtId").asLong(),
                "the first entry no longer carries a link made with the key");
    }
}
