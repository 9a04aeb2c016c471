package io.kuzet.server.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

/**
 * Issue 13 in headless Chromium: the subject profile beside an alert (case, order, risk, curfew windows, officer and
 * numbers, device battery and last contact); the queue is not rebuilt by position messages and the console's stream
 * carries none; a Russian and a Kazakh alert detail, explanation and server error included, with no word of the
 * English texts left on it. Screenshots: {@code server/target/console-profile.png}, {@code console-detail-ru.png},
 * {@code console-detail-kk.png} (referenced in docs/console.md).
 */
class ConsoleProfileBrowserTest {
    private static final Pattern LATIN_WORD = Pattern.compile("[A-Za-z]{3,}");

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
        SubjectProfileTest.seedProfile(h);
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

    private void logIn(String username) {
        browser.get(h.base() + "/");
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(ApiHarness.PASSWORD);
        browser.findElement(By.id("login-btn")).click();
        await().atMost(Duration.ofSeconds(15)).until(() -> "true".equals(browser.findElement(By.id("live-status")).getAttribute("data-connected")));
        await().atMost(Duration.ofSeconds(5)).until(() -> h.api.liveHub().subscribers() == 1);
    }

    private List<WebElement> queue() {
        return browser.findElements(By.cssSelector("#queue li"));
    }

    private void screenshot(String name) throws Exception {
        Files.createDirectories(Path.of("target"));
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", name), StandardCopyOption.REPLACE_EXISTING);
    }

    private String openViolationAndShowIt() throws Exception {
        h.walkIntoExclusionZone();
        await().atMost(Duration.ofSeconds(15)).until(() -> queue().size() == 1);
        queue().get(0).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> "OPEN".equals(browser.findElement(By.id("alert-state")).getAttribute("data-state")));
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.findElements(By.id("pf-case")).isEmpty());
        return queue().get(0).getAttribute("data-alert-id");
    }

    /** A tall window and the detail scrolled to its top, so a screenshot shows explanation and profile together. */
    private void showWholeDetail() {
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1900));
        browser.executeScript("document.getElementById('detail').scrollTop = 0");
    }

    private long rebuilds() {
        return (Long) browser.executeScript("return window.KUZET_QUEUE.rebuilds");
    }

    @Test
    void alertDetailShowsTheSubjectProfileAndPositionsNeverRebuildTheQueue() throws Exception {
        logIn("op-alm");
        openViolationAndShowIt();
        assertEquals("KZ-2026-0001 · Test Subject", browser.findElement(By.id("pf-case")).getText());
        assertEquals("House arrest · Almaty court 2-123/2026", browser.findElement(By.id("pf-order")).getText());
        assertEquals("medium", browser.findElement(By.id("pf-risk")).getText());
        assertEquals("Aigerim Sadykova", browser.findElement(By.id("pf-officer")).getText());
        assertEquals("tel:+77275550199", browser.findElement(By.cssSelector("#pf-officer-phone a")).getAttribute("href"));
        assertEquals("+7 701 555 0101", browser.findElement(By.id("pf-phone")).getText());
        String rules = browser.findElement(By.id("pf-rules")).getText();
        assertTrue(rules.contains("Curfew “Night curfew” · zone “Home”") && rules.contains("Mon 22:00–06:00, Tue 02:00–05:00"), rules);
        assertTrue(rules.contains("victim unit watch 880001") && rules.contains("victim unit not visible to your agency"), rules);
        String devices = browser.findElement(By.id("pf-devices")).getText();
        // local time of Almaty, whichever offset the browser's time zone data gives it (UTC+5 since 2024, UTC+6 before)
        assertTrue(devices.matches("(?s).*battery 17 % \\(2026-05-01 1\\d:30:00 Asia/Almaty\\).*")
                && devices.matches("(?s).*last contact 2026-05-01 1\\d:00:05 Asia/Almaty.*"), devices);
        showWholeDetail();
        screenshot("console-profile.png");

        // the console's stream carries no positions although the bracelet just sent sixteen fixes
        assertTrue(((String) browser.executeScript("return KuzetConsole.state.socket.url")).endsWith("/api/v1/live?kinds=alert"));
        assertEquals(null, browser.executeScript("return window.KUZET_QUEUE.live.position || null"));
        // and a position message, should one arrive, does not rebuild the queue; an acknowledgement does
        long before = rebuilds();
        browser.executeScript("for (var i = 0; i < 200; i++) { KuzetConsole.state.socket.onmessage({ data: JSON.stringify("
                + "{ kind: 'position', subjectId: '10', lat: 43.25, lon: 76.95, time: new Date().toISOString() }) }); }");
        assertEquals(200L, browser.executeScript("return window.KUZET_QUEUE.live.position"));
        assertEquals(before, rebuilds(), "200 position messages rebuilt the queue");
        browser.findElement(By.id("ack-btn")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> rebuilds() > before);

        // a map layer that wants positions gets them on a fresh stream, and the alert-only stream again without it
        browser.executeScript("KuzetConsole.livePositions(true)");
        await().atMost(Duration.ofSeconds(10)).until(() -> ((String) browser.executeScript("return KuzetConsole.state.socket.url"))
                .endsWith("kinds=alert,position"));
        browser.executeScript("KuzetConsole.livePositions(false)");
        await().atMost(Duration.ofSeconds(10)).until(() -> ((String) browser.executeScript("return KuzetConsole.state.socket.url"))
                .endsWith("kinds=alert"));
    }

    @Test
    void russianAndKazakhAlertDetailsHaveNoEnglishLeft() throws Exception {
        // the registry's own names are the agency's data, not interface text: give them in the local language
        h.exec("update subjects set display_name = 'Серик Ахметов' where id = 10");
        h.exec("update orders set legal_reference = 'Алматинский суд 2-123/2026' where id = 100");
        h.exec("update zones set name = 'Жилище потерпевшей' where id = 500");
        h.exec("update zones set name = 'Дом' where id = 501");
        h.exec("update rules set name = 'Запрет: жилище потерпевшей' where id = 5000");
        h.exec("update rules set name = 'Ночной режим' where id = 5001");
        h.exec("update rules set name = 'Дистанция' where id = 5002");
        h.exec("update rules set name = 'Чужое устройство' where id = 5003");
        h.exec("update subjects set officer_name = 'Айгерим Садыкова' where id = 10");
        h.reloadRegistry();
        logIn("op-alm");
        String alertId = openViolationAndShowIt();
        browser.findElement(By.id("ack-btn")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.findElements(By.cssSelector("#d-history li[data-action='ACKNOWLEDGED']")).isEmpty());
        h.clock.set(io.kuzet.server.testing.RunningServer.T0 + Duration.ofHours(2).toMillis());
        assertEquals(1, h.api.escalateNow().size(), "taken but not resolved in time");
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.findElements(By.cssSelector("#d-history li[data-action='ESCALATED']")).isEmpty());
        String englishExplanation = h.strings("select explanation from alerts where id = " + alertId).get(0);
        Set<String> english = englishWords(englishExplanation);
        english.addAll(englishWords(h.strings("select note from alert_actions where action = 'ESCALATED'").get(0)));
        assertTrue(english.contains("inside") && english.contains("acknowledge") && english.contains("exclusion"), english.toString());

        for (String lang : List.of("ru", "kk")) {
            new Select(browser.findElement(By.id("lang"))).selectByValue(lang);
            await().atMost(Duration.ofSeconds(10)).until(() -> !browser.findElements(By.id("pf-case")).isEmpty());
            // a refused step shows the server's error code in the operator's language
            browser.executeScript("KuzetConsole.api('POST', '/api/v1/alerts/" + alertId + "/acknowledge', {})"
                    + ".catch(function (e) { document.getElementById('action-error').textContent = e.message; })");
            String expectedError = (String) browser.executeScript("return window.KUZET_I18N." + lang + ".error_alert_state_conflict");
            await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("action-error")).getText().equals(expectedError));

            String escalation = browser.findElement(By.cssSelector("#d-history li[data-action='ESCALATED']")).getText();
            assertTrue(escalation.contains(lang.equals("ru") ? "принята, но не закрыта в течение 20 мин" : "20 мин ішінде жабылмады"),
                    "the escalation's reason in the operator's language: " + escalation);
            String explanation = browser.findElement(By.id("d-explanation")).getText();
            assertTrue(explanation.contains("«Запрет: жилище потерпевшей»") && explanation.contains("«Жилище потерпевшей»")
                    && explanation.matches(".*\\d+ м.*"), lang + " explanation from the structured details: " + explanation);
            String screen = browser.findElement(By.tagName("header")).getText() + "\n" + browser.findElement(By.id("queue-pane")).getText()
                    + "\n" + browser.findElement(By.id("detail")).getText();
            List<String> left = new ArrayList<>();
            Matcher m = LATIN_WORD.matcher(screen);
            while (m.find()) {
                if (english.contains(m.group().toLowerCase(Locale.ROOT))) {
                    left.add(m.group());
                }
            }
            showWholeDetail();
            screenshot("console-detail-" + lang + ".png");
            assertEquals(List.of(), left, "English words on the " + lang + " screen:\n" + screen);
            assertFalse(screen.contains(englishExplanation), "the server's English explanation is not shown");
        }
        assertEquals(List.of(), explanationProblems(english), "explanations of every alert type in Russian and Kazakh");
    }

    /**
     * One alert of every type with the details the core gives it: explained from the details in Russian and Kazakh,
     * with no English word, no unfilled placeholder and more than the bare type name.
     */
    private List<String> explanationProblems(Set<String> english) {
        String zone = "ruleName: 'Р', ruleKind: 'EXCLUSION', zoneName: 'З', decision: 'INSIDE', signedDistanceMetres: 85.2,"
                + " accuracyMetres: 12, fixCount: 4, durationSeconds: 190, openingFixTime: '2026-05-01T10:00:00Z', uploadDelaySeconds: 700";
        String samples = "["
                + "{type: 'EXCLUSION_VIOLATION', late: true, details: {" + zone + "}},"
                + "{type: 'INCLUSION_VIOLATION', details: {" + zone + ", ruleKind: 'INCLUSION', signedDistanceMetres: -15000}},"
                + "{type: 'CURFEW_VIOLATION', details: {" + zone + ", ruleKind: 'CURFEW', basis: 'LAST_KNOWN_POSITION', lastFixTime: '2026-05-01T09:00:00Z'}},"
                + "{type: 'PROXIMITY_VIOLATION', details: {" + zone + ", ruleKind: 'PROXIMITY', zoneName: null}},"
                + "{type: 'PROXIMITY_WARNING', details: {" + zone + ", ruleKind: 'PROXIMITY'}},"
                + "{type: 'ZONE_APPROACH_WARNING', details: {" + zone + ", signedDistanceMetres: -250}},"
                + "{type: 'CURFEW_WARNING', details: {" + zone + ", ruleKind: 'CURFEW', signedDistanceMetres: -900, durationSeconds: 1800}},"
                + "{type: 'ZONE_UNCERTAIN', details: {" + zone + ", signedDistanceMetres: null}},"
                + "{type: 'CURFEW_STATUS_UNKNOWN', details: {" + zone + ", ruleKind: 'CURFEW', durationSeconds: 8000}},"
                + "{type: 'STRAP_TAMPER', fixTime: '2026-05-01T10:00:00Z', detectedAt: '2026-05-01T10:20:00Z', late: true, details: {eventTimeMs: 1, delaySeconds: 1200}},"
                + "{type: 'CASE_TAMPER', fixTime: '2026-05-01T10:00:00Z', details: {eventTimeMs: 1}},"
                + "{type: 'BATTERY_LOW', details: {batteryPercent: 18, thresholdPercent: 20}},"
                + "{type: 'BATTERY_CRITICAL', details: {batteryPercent: 4, thresholdPercent: 5}},"
                + "{type: 'POWER_OFF', fixTime: '2026-05-01T10:00:00Z', details: {eventTimeMs: 1}},"
                + "{type: 'NO_COMMUNICATION', fixTime: '2026-05-01T10:00:00Z', details: {silentSeconds: 1900, limitSeconds: 900, neverSinceMonitoringBegan: false}},"
                + "{type: 'NO_GPS_FIX', fixTime: '2026-05-01T10:00:00Z', details: {noFixSeconds: 1900, limitSeconds: 1800, neverSinceMonitoringBegan: true}},"
                + "{type: 'CLOCK_FAULT', details: {faultyFixes: 5, claimedFixTimeMs: 1777000000000, receivedAtMs: 1777600000000, offsetSeconds: -600000}},"
                + "{type: 'DUPLICATE_SESSION', fixTime: '2026-05-01T10:00:00Z', details: {sources: '203.0.113.5', outcome: 'refused', protocol: 'gt06'}}]";
        @SuppressWarnings("unchecked")
        List<List<String>> rendered = (List<List<String>>) browser.executeScript("var samples = " + samples + ", out = [], lang = KuzetConsole.state.lang;"
                + "['ru', 'kk'].forEach(function (l) { KuzetConsole.state.lang = l; samples.forEach(function (a) {"
                + "  out.push([l, a.type, KuzetConsole.explain(a), KuzetConsole.t(a.type)]); }); });"
                + "KuzetConsole.state.lang = lang; return out;");
        Set<String> types = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (List<String> r : rendered) {
            types.add(r.get(1));
            String text = r.get(2);
            Matcher m = LATIN_WORD.matcher(text);
            boolean englishLeft = false;
            while (m.find()) {
                englishLeft |= english.contains(m.group().toLowerCase(Locale.ROOT));
            }
            if (englishLeft || text.contains("{") || text.contains("undefined") || text.contains("NaN") || text.equals(r.get(3))) {
                problems.add(r.get(0) + " " + r.get(1) + ": " + text);
            }
        }
        Set<String> all = new TreeSet<>();
        for (io.kuzet.server.alert.AlertType t : io.kuzet.server.alert.AlertType.values()) {
            all.add(t.name());
        }
        assertEquals(all, types, "a sample of every alert type");
        return problems;
    }

    /**
     * Every word (3+ Latin letters, lower case) of the English dictionary the page loaded and of the server's English
     * explanation, except the time zone's name, which the console shows as the IANA id in every language.
     */
    private Set<String> englishWords(String serverExplanation) {
        @SuppressWarnings("unchecked")
        List<String> texts = (List<String>) browser.executeScript("return Object.values(window.KUZET_I18N.en)");
        Set<String> words = new TreeSet<>();
        List<String> all = new ArrayList<>(texts);
        all.add(serverExplanation);
        for (String text : all) {
            Matcher m = LATIN_WORD.matcher(text);
            while (m.find()) {
                words.add(m.group().toLowerCase(Locale.ROOT));
            }
        }
        words.removeAll(Set.of("asia", "almaty", "gps"));
        return words;
    }
}
