package io.kuzet.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kuzet.server.testing.RunningServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures, not assertions on time: the alert history, its filters and the period report over a month of a large
 * agency's alerts ({@value #ALERTS} alerts, a quarter acknowledged and resolved). Prints the time of each call
 * (median of five, through HTTP, on this machine) for docs/api.md. Run with {@code -Dslow -Dtest=AlertHistoryScaleTest}.
 */
@Tag("slow")
class AlertHistoryScaleTest {
    static final int ALERTS = 200_000;
    private static final Instant T0 = Instant.ofEpochMilli(RunningServer.T0);

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

    @Test
    void historyAndReportOverAMonthOfALargeAgency() throws Exception {
        long load = System.nanoTime();
        String[] types = {"EXCLUSION_VIOLATION", "CURFEW_VIOLATION", "NO_GPS_FIX", "BATTERY_LOW", "NO_COMMUNICATION"};
        String[] severities = {"HIGH", "CRITICAL", "LOW", "LOW", "MEDIUM"};
        StringBuilder type = new StringBuilder("(array['").append(String.join("','", types)).append("'])[1 + g % 5]");
        StringBuilder severity = new StringBuilder("(array['").append(String.join("','", severities)).append("'])[1 + g % 5]");
        // one alert every 13 s over 30 days, a quarter acknowledged after g % 600 s and resolved 10 min later
        h.exec("insert into alerts (id, type, severity, subject_id, device_id, fix_time, detected_at, state, explanation,"
                + " acknowledged_at, resolved_at) select g, " + type + ", " + severity + ", 10, 1000,"
                + " timestamptz '" + T0 + "' + g * interval '13 s', timestamptz '" + T0 + "' + g * interval '13 s',"
                + " case when g % 4 = 0 then 'RESOLVED' when g % 4 = 1 then 'CLEARED' else 'OPEN' end, 'alert ' || g,"
                + " case when g % 4 = 0 then timestamptz '" + T0 + "' + g * interval '13 s' + (g % 600) * interval '1 s' end,"
                + " case when g % 4 = 0 then timestamptz '" + T0 + "' + g * interval '13 s' + (g % 600 + 600) * interval '1 s' end"
                + " from generate_series(1, " + ALERTS + ") g");
        long op = h.scalar("select id from users where username = 'op-alm'");
        h.exec("insert into alert_actions (alert_id, user_id, action, at) select id, " + op + ", 'ACKNOWLEDGED', acknowledged_at"
                + " from alerts where acknowledged_at is not null");
        h.exec("analyze alerts");
        h.exec("analyze alert_actions");
        System.out.printf("loaded %,d alerts in %d ms%n", ALERTS, (System.nanoTime() - load) / 1_000_000);

        String supervisor = h.login("sup-alm");
        JsonNode first = h.json("GET", "/api/v1/alerts?order=recent&limit=50", supervisor, null, 200);
        Set<String> seen = new HashSet<>();
        String cursor = null;
        long walk = System.nanoTime();
        for (int page = 0; page < 100; page++) {
            JsonNode p = h.json("GET", "/api/v1/alerts?order=recent&limit=50" + (cursor == null ? "" : "&cursor=" + cursor), supervisor, null, 200);
            p.get("alerts").forEach(a -> seen.add(a.get("alertId").asText()));
            cursor = p.get("nextCursor").asText();
        }
        System.out.printf("100 consecutive pages of 50 by cursor: %d ms in all%n", (System.nanoTime() - walk) / 1_000_000);
        assertEquals(5000, seen.size());
        assertEquals(50, first.get("alerts").size());

        String deep = cursor;
        time("history, first page of 50", "/api/v1/alerts?order=recent&limit=50", supervisor);
        time("history, page of 50 after 5,000 alerts (cursor)", "/api/v1/alerts?order=recent&limit=50&cursor=" + deep, supervisor);
        time("history, type + severity filter", "/api/v1/alerts?order=recent&limit=50&type=EXCLUSION_VIOLATION&severity=HIGH", supervisor);
        time("history, text search q=alert 1999", "/api/v1/alerts?order=recent&limit=50&q=alert%201999", supervisor);
        time("queue (queue=true, limit 1000)", "/api/v1/alerts?queue=true&limit=1000", supervisor);
        JsonNode report = time("report over 30 days", "/api/v1/reports/alerts?from=" + T0 + "&to=" + T0.plus(Duration.ofDays(31)), supervisor);
        assertEquals(ALERTS, report.get("total").asLong());
        assertTrue(report.get("times").get(0).get("ackMedianSeconds").asDouble() > 0);
    }

    private JsonNode time(String what, String path, String token) throws Exception {
        long[] ms = new long[5];
        JsonNode last = null;
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            last = h.json("GET", path, token, null, 200);
            ms[i] = (System.nanoTime() - t) / 1_000_000;
        }
        java.util.Arrays.sort(ms);
        System.out.printf("%-50s median %4d ms (min %d, max %d)%n", what, ms[2], ms[0], ms[4]);
        return last;
    }
}
