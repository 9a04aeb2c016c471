package io.kuzet.server.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kuzet.server.testing.RunningServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The review workflow over the real API (issue 13, finding 1): a violation that ends by itself stays in the queue
 * as "ended, needs review" until a person resolves it, escalates when nobody reviews it within its SLA, and a
 * structured contact-log entry is stored, audited, shown in the history and pushed to the agency's consoles.
 */
class AlertReviewWorkflowTest {
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

    private String violationThatEndedByItself() throws Exception {
        h.walkIntoExclusionZone();
        await().atMost(Duration.ofSeconds(15)).until(() -> h.scalar("select count(*) from alerts where type = 'EXCLUSION_VIOLATION'") == 1);
        h.walkOutOfExclusionZone();
        await().atMost(Duration.ofSeconds(15)).until(() -> h.scalar(
                "select count(*) from alerts where type = 'EXCLUSION_VIOLATION' and state = 'CLEARED'") == 1);
        return Long.toString(h.scalar("select id from alerts where type = 'EXCLUSION_VIOLATION'"));
    }

    private JsonNode queued(String token, String alertId) throws Exception {
        for (JsonNode a : h.json("GET", "/api/v1/alerts?queue=true", token, null, 200).get("alerts")) {
            if (a.get("alertId").asText().equals(alertId)) {
                return a;
            }
        }
        return null;
    }

    @Test
    void violationThatEndedByItselfStaysInTheQueueUntilReviewed() throws Exception {
        String alertId = violationThatEndedByItself();
        String op = h.login("op-alm");
        JsonNode a = queued(op, alertId);
        assertTrue(a != null, "the cleared violation is still in the queue");
        assertEquals("CLEARED", a.get("state").asText());
        assertTrue(a.get("needsReview").asBoolean());
        assertEquals("ENDED_NEEDS_REVIEW", a.get("reviewState").asText());
        assertFalse(a.get("slaDueAt").isNull(), "an SLA runs from detection");
        JsonNode policy = h.json("GET", "/api/v1/alerts?queue=true", op, null, 200).get("policy");
        assertEquals("MEDIUM", policy.get("reviewSeverity").asText());
        assertEquals("Asia/Almaty", policy.get("timeZone").asText());

        String sup = h.login("sup-alm");
        h.json("POST", "/api/v1/alerts/" + alertId + "/resolve", sup,
                "{\"disposition\":\"CONFIRMED_VIOLATION\",\"note\":\"Reviewed the track: he entered for 6 minutes\"}", 200);
        assertEquals(null, queued(op, alertId), "a resolved alert leaves the queue");
    }

    @Test
    void lowSeverityAlertThatClearedLeavesTheQueue() throws Exception {
        String alertId = violationThatEndedByItself();
        h.exec("update alerts set severity = 'LOW' where id = " + alertId);
        assertEquals(null, queued(h.login("op-alm"), alertId), "below the review severity a cleared alert needs no review");
    }

    @Test
    void unreviewedClearedViolationEscalatesToTheSupervisor() throws Exception {
        String alertId = violationThatEndedByItself();
        h.clock.set(RunningServer.T0 + Duration.ofHours(1).toMillis());
        List<com.fasterxml.jackson.databind.node.ObjectNode> events = h.api.escalateNow();
        assertEquals(1, events.size(), "the cleared, unreviewed violation escalates");
        assertEquals(alertId, events.get(0).get("alertId").asText());
        assertEquals("ENDED_UNREVIEWED", events.get(0).get("reason").asText());
        JsonNode a = queued(h.login("sup-alm"), alertId);
        assertTrue(a.get("escalated").asBoolean());
        assertEquals(List.of("CLEARED", "ESCALATED"), h.strings("select action from alert_actions where alert_id = " + alertId
                + " order by id"), "the clearing in the subject's time, then the escalation");
        assertEquals(1, h.scalar("select count(*) from audit_log where action = 'ALERT_ESCALATED' and details->>'reason' = 'ENDED_UNREVIEWED'"));
        JsonNode history = h.json("GET", "/api/v1/alerts/" + alertId + "/history", h.login("sup-alm"), null, 200).get("history");
        JsonNode escalated = history.get(history.size() - 1);
        assertEquals("ENDED_UNREVIEWED", escalated.get("reason").asText(), "the history says why as a code a console translates");
        assertEquals(events.get(0).get("slaMinutes").asLong(), escalated.get("slaMinutes").asLong());
        assertTrue(h.api.escalateNow().isEmpty(), "an alert escalates once");
    }

    @Test
    void acknowledgedViolationNotResolvedEscalatesAfterTheLongerResolveSla() throws Exception {
        h.walkIntoExclusionZone();
        await().atMost(Duration.ofSeconds(15)).until(() -> h.scalar("select count(*) from alerts where type = 'EXCLUSION_VIOLATION'") == 1);
        String alertId = Long.toString(h.scalar("select id from alerts where type = 'EXCLUSION_VIOLATION'"));
        h.json("POST", "/api/v1/alerts/" + alertId + "/acknowledge", h.login("op-alm"), "{}", 200);
        long detected = h.scalar("select (extract(epoch from detected_at) * 1000)::bigint from alerts where id = " + alertId);
        h.clock.set(detected + Duration.ofMinutes(10).toMillis());
        assertTrue(h.api.escalateNow().isEmpty(), "taken within the acknowledgement SLA: not escalated yet");
        h.clock.set(detected + Duration.ofMinutes(60).toMillis());
        assertEquals("NOT_RESOLVED", h.api.escalateNow().get(0).get("reason").asText());
    }

    @Test
    void contactLogEntryIsStoredAuditedAndShownInTheHistory() throws Exception {
        String alertId = violationThatEndedByItself();
        String op = h.login("op-alm");
        JsonNode after = h.json("POST", "/api/v1/alerts/" + alertId + "/contact", op,
                "{\"party\":\"VICTIM\",\"outcome\":\"REACHED\",\"note\":\"She is safe at home\"}", 200);
        JsonNode history = after.get("history");
        JsonNode entry = history.get(history.size() - 1);
        assertEquals("CLEARED", history.get(0).get("action").asText(), "the violation ended before the call");
        assertEquals("CONTACT", entry.get("action").asText());
        assertEquals("VICTIM", entry.get("party").asText());
        assertEquals("REACHED", entry.get("outcome").asText());
        assertEquals("She is safe at home", entry.get("note").asText());
        assertEquals("op-alm", entry.get("user").asText());
        assertEquals(List.of("VICTIM REACHED"), h.strings("select (details->>'party') || ' ' || (details->>'outcome') from audit_log"
                + " where action = 'ALERT_CONTACT' and details->>'alertId' = '" + alertId + "'"));
        h.json("POST", "/api/v1/alerts/" + alertId + "/contact", op, "{\"party\":\"NEIGHBOUR\",\"outcome\":\"REACHED\"}", 400);
        h.json("POST", "/api/v1/alerts/" + alertId + "/resolve", op,
                "{\"disposition\":\"CONFIRMED_VIOLATION\",\"note\":\"x\"}", 403);
    }
}
