package io.kuzet.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kuzet.server.alert.AlertType;
import io.kuzet.server.api.console.AlertExplanation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The printed incident report and the console explain an alert with the same words: the server's Java port
 * ({@link AlertExplanation}) and the console's {@code console-explain.js}, run in headless Chromium, give the same
 * text for alerts of every type (and the edge cases of their details) in English, Russian and Kazakh, in two time
 * zones. Fails as soon as one of the two changes without the other.
 */
class AlertExplanationParityBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ZONE = "'ruleName': 'Запрет', 'ruleKind': 'EXCLUSION', 'zoneName': 'Дом', 'decision': 'INSIDE',"
            + " 'signedDistanceMetres': 85.5, 'accuracyMetres': 12.4, 'fixCount': 4, 'durationSeconds': 190,"
            + " 'openingFixTime': '2026-05-01T10:00:00Z', 'uploadDelaySeconds': 700";
    private static final String AT = "'fixTime': '2026-05-01T10:00:00Z', 'detectedAt': '2026-05-01T10:20:00Z'";
    /** Alerts as the alert API answers them, with the details the core gives each type, and their edge cases. */
    private static final String SAMPLES = ("["
            + "{'type': 'EXCLUSION_VIOLATION', 'late': true, " + AT + ", 'details': {" + ZONE + "}},"
            + "{'type': 'EXCLUSION_VIOLATION', " + AT + ", 'details': {" + ZONE + ", 'zoneName': 'Запрет', 'accuracyMetres': null, 'uploadDelaySeconds': 59}},"
            + "{'type': 'INCLUSION_VIOLATION', " + AT + ", 'details': {" + ZONE + ", 'ruleKind': 'INCLUSION', 'signedDistanceMetres': -15049.9}},"
            + "{'type': 'INCLUSION_VIOLATION', " + AT + ", 'details': {" + ZONE + ", 'ruleKind': 'INCLUSION', 'signedDistanceMetres': -9999.5, 'durationSeconds': 7170}},"
            + "{'type': 'CURFEW_VIOLATION', " + AT + ", 'details': {" + ZONE + ", 'ruleKind': 'CURFEW', 'basis': 'LAST_KNOWN_POSITION', 'lastFixTime': '2026-05-01T09:00:00Z'}},"
            + "{'type': 'CURFEW_VIOLATION', " + AT + ", 'details': {" + ZONE + ", 'ruleKind': 'CURFEW', 'basis': 'LAST_KNOWN_POSITION', 'lastFixTime': null, 'durationSeconds': 200000}},"
            + "{'type': 'PROXIMITY_VIOLATION', " + AT + ", 'details': {" + ZONE + ", 'ruleKind': 'PROXIMITY', 'zoneName': null}},"
            + "{'type': 'PROXIMITY_WARNING', " + AT + ", 'details': {" + ZONE + ", 'ruleKind': 'PROXIMITY', 'signedDistanceMetres': -40}},"
            + "{'type': 'ZONE_APPROACH_WARNING', " + AT + ", 'details': {" + ZONE + ", 'signedDistanceMetres': -250}},"
            + "{'type': 'CURFEW_WARNING', " + AT + ", 'details': {" + ZONE + ", 'ruleKind': 'CURFEW', 'signedDistanceMetres': -900, 'durationSeconds': 1800}},"
            + "{'type': 'ZONE_UNCERTAIN', " + AT + ", 'details': {" + ZONE + ", 'signedDistanceMetres': null}},"
            + "{'type': 'CURFEW_STATUS_UNKNOWN', " + AT + ", 'details': {" + ZONE + ", 'ruleKind': 'CURFEW', 'durationSeconds': 8000}},"
            + "{'type': 'CURFEW_VIOLATION', 'explanation': 'the server sentence', " + AT + ", 'details': {}},"
            + "{'type': 'STRAP_TAMPER', " + AT + ", 'late': true, 'details': {'eventTimeMs': 1, 'delaySeconds': 1200}},"
            + "{'type': 'CASE_TAMPER', " + AT + ", 'details': {'eventTimeMs': 1}},"
            + "{'type': 'POWER_OFF', " + AT + ", 'details': {'eventTimeMs': 1}},"
            + "{'type': 'BATTERY_LOW', " + AT + ", 'details': {'batteryPercent': 18, 'thresholdPercent': 20}},"
            + "{'type': 'BATTERY_LOW', " + AT + ", 'details': {'batteryPercent': 18.5}},"
            + "{'type': 'BATTERY_CRITICAL', 'explanation': 'Battery critical', " + AT + ", 'details': {}},"
            + "{'type': 'NO_COMMUNICATION', " + AT + ", 'details': {'silentSeconds': 1900, 'limitSeconds': 900, 'neverSinceMonitoringBegan': false}},"
            + "{'type': 'NO_COMMUNICATION', " + AT + ", 'details': {'silentSeconds': 90, 'limitSeconds': 60, 'neverSinceMonitoringBegan': true}},"
            + "{'type': 'NO_GPS_FIX', " + AT + ", 'details': {'noFixSeconds': 1900, 'limitSeconds': 1800, 'neverSinceMonitoringBegan': true}},"
            + "{'type': 'NO_GPS_FIX', " + AT + ", 'details': {'noFixSeconds': 45, 'limitSeconds': 30}},"
            + "{'type': 'CLOCK_FAULT', " + AT + ", 'details': {'faultyFixes': 5, 'claimedFixTimeMs': 1777000000000, 'receivedAtMs': 1777600000000, 'offsetSeconds': -600000}},"
            + "{'type': 'CLOCK_FAULT', " + AT + ", 'details': {'faultyFixes': 3, 'claimedFixTimeMs': 1777600300000, 'receivedAtMs': 1777600000000, 'offsetSeconds': 300}},"
            + "{'type': 'DUPLICATE_SESSION', " + AT + ", 'details': {'sources': '203.0.113.5', 'outcome': 'refused', 'protocol': 'gt06'}},"
            + "{'type': 'DUPLICATE_SESSION', " + AT + ", 'details': {'sources': '203.0.113.5'}},"
            + "{'type': 'ZONE_APPROACH_WARNING', 'explanation': 'approaching', " + AT + ", 'details': {" + ZONE + "}},"
            + "{'type': 'CURFEW_WARNING', 'explanation': 'curfew soon', " + AT + ", 'details': {" + ZONE + ", 'ruleKind': 'CURFEW'}}"
            + "]").replace('\'', '"');

    @TempDir
    Path dataDir;
    @TempDir
    Path profile;
    ApiHarness h;
    ChromeDriver browser;

    @BeforeEach
    void start() throws Exception {
        browser = HeadlessChromium.open(profile);
        h = new ApiHarness(dataDir);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (h != null) {
            h.close();
        }
    }

    @Test
    void reportAndConsoleExplainEveryAlertTypeAlikeInEveryLanguage() throws Exception {
        browser.get(h.base() + "/");
        JsonNode samples = JSON.readTree(SAMPLES);
        Set<String> types = new TreeSet<>();
        samples.forEach(a -> types.add(a.get("type").asText()));
        Set<String> all = new TreeSet<>();
        for (AlertType t : AlertType.values()) {
            all.add(t.name());
        }
        assertEquals(all, types, "a sample of every alert type");

        List<String> differences = new ArrayList<>();
        int compared = 0;
        for (String zone : List.of("Asia/Almaty", "Europe/Moscow")) {
            for (String lang : List.of("en", "ru", "kk")) {
                @SuppressWarnings("unchecked")
                List<String> console = (List<String>) browser.executeScript("var K = KuzetConsole, lang = K.state.lang, zone = K.state.policy.timeZone;"
                        + "K.state.lang = arguments[1]; K.state.policy.timeZone = arguments[2];"
                        + "var out = JSON.parse(arguments[0]).map(function (a) { return K.explain(a); });"
                        + "K.state.lang = lang; K.state.policy.timeZone = zone; return out;", SAMPLES, lang, zone);
                for (int i = 0; i < samples.size(); i++) {
                    String report = AlertExplanation.text(lang, samples.get(i), zone);
                    compared++;
                    if (!report.equals(console.get(i))) {
                        differences.add(lang + " " + zone + " " + samples.get(i) + "\n  console: " + console.get(i) + "\n  report:  " + report);
                    }
                }
            }
        }
        assertEquals(List.of(), differences, "the report's explanations differ from the console's");
        assertEquals(2 * 3 * samples.size(), compared);
    }
}
