package io.kuzet.server.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.server.testing.RunningServer;
import io.kuzet.server.testing.TestFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
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
 * Shift handover, reports and the password change in headless Chromium (issue 13): the handover view lists what
 * still waits for a person and keeps a note for the next shift; a supervisor's period report shows the figures of
 * the period; the history opens the printable incident report with its map; a user whose password was reset is led
 * to the password change and then into the console. Screenshots go to {@code server/target/console-*.png}
 * (referenced in docs/console.md).
 */
class ConsoleReportsBrowserTest {
    private static final Instant T0 = Instant.ofEpochMilli(RunningServer.T0);

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

    private void logIn(String username, String password) {
        browser.get(h.base() + "/");
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("login-btn")).click();
    }

    private void awaitLive() {
        await().atMost(Duration.ofSeconds(20)).until(() -> "true".equals(browser.findElement(By.id("live-status")).getAttribute("data-connected")));
    }

    private void screenshot(String name) throws Exception {
        Files.createDirectories(Path.of("target"));
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", name), StandardCopyOption.REPLACE_EXISTING);
    }

    private void alert(long id, String type, String severity, Instant detected, String state, String explanation) throws Exception {
        h.exec("insert into alerts (id, type, severity, subject_id, device_id, fix_time, detected_at, state, explanation) values ("
                + id + ", '" + type + "', '" + severity + "', 10, 1000, '" + detected + "', '" + detected + "', '" + state + "', '"
                + explanation.replace("'", "''") + "')");
    }

    private List<WebElement> rows(String tableId) {
        return browser.findElements(By.cssSelector("#" + tableId + " tbody tr"));
    }

    @Test
    void handoverViewListsWhatStillWaitsAndKeepsANoteForTheNextShift() throws Exception {
        alert(51, "EXCLUSION_VIOLATION", "HIGH", T0, "OPEN", "Inside the victim's home zone");
        alert(52, "EXCLUSION_VIOLATION", "CRITICAL", T0.plusSeconds(60), "CLEARED", "Was inside the victim's home zone for 4 minutes");
        alert(53, "EXCLUSION_VIOLATION", "HIGH", T0.plusSeconds(120), "RESOLVED", "Reviewed already");
        alert(54, "NO_GPS_FIX", "LOW", T0.plusSeconds(180), "CLEARED", "No fix for 10 minutes, came back");
        logIn("op-alm", ApiHarness.PASSWORD);
        awaitLive();
        assertFalse(browser.findElement(By.id("view-reports")).isDisplayed(), "reports are offered to supervisors only");
        browser.findElement(By.id("view-handover")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> rows("handover-items").size() == 2);
        assertFalse(browser.findElement(By.id("main-view")).isDisplayed(), "the queue view is hidden");
        assertEquals(List.of("52", "51"), rows("handover-items").stream().map(r -> r.getAttribute("data-alert-id")).toList(),
                "CRITICAL first; the resolved alert and the LOW one that came and went are not handed over");
        assertEquals("ENDED_NEEDS_REVIEW", rows("handover-items").get(0).getAttribute("data-review"));
        assertTrue(browser.findElement(By.id("handover-summary")).getText().startsWith("2 waiting for a person"),
                browser.findElement(By.id("handover-summary")).getText());

        browser.findElement(By.id("handover-note")).sendKeys("#52: subject's phone off; officer Abenov calls back at 07:00");
        browser.findElement(By.id("handover-save")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.findElements(By.cssSelector("#handover-notes li[data-note-id]")).isEmpty());
        String note = browser.findElement(By.cssSelector("#handover-notes li[data-note-id]")).getText();
        assertTrue(note.contains("op-alm") && note.contains("2 open at the time") && note.contains("officer Abenov")
                && note.contains("Asia/Almaty"), note);
        assertEquals(List.of("{51,52}"), h.strings("select open_alert_ids::text from handover_notes"), "oldest first");
        assertEquals(1, h.scalar("select count(*) from audit_log where action = 'HANDOVER_NOTE_CREATED'"));
        screenshot("console-handover.png");

        new Select(browser.findElement(By.id("lang"))).selectByValue("ru");
        assertEquals("Смена", browser.findElement(By.id("view-handover")).getText());
        assertTrue(browser.findElement(By.id("handover-summary")).getText().contains("ждут человека"));
        browser.findElement(By.id("view-queue")).click();
        assertTrue(browser.findElement(By.id("main-view")).isDisplayed());
        assertEquals(2, browser.findElements(By.cssSelector("#queue li")).size());
    }

    @Test
    void supervisorSeesThePeriodReportAndPrintsTheIncidentReportFromTheHistory() throws Exception {
        h.walkIntoExclusionZone();
        await().atMost(Duration.ofSeconds(15)).until(() -> h.scalar("select count(*) from alerts where type = 'EXCLUSION_VIOLATION'") == 1);
        storeWalkedTrack();
        long walked = h.scalar("select id from alerts where type = 'EXCLUSION_VIOLATION'");
        alert(61, "CURFEW_VIOLATION", "CRITICAL", T0.plusSeconds(1000), "ACKNOWLEDGED", "Out after curfew");
        alert(62, "BATTERY_LOW", "LOW", T0.plusSeconds(2000), "CLEARED", "Battery at 15%");
        h.exec("update alerts set acknowledged_at = detected_at + interval '300 s', escalated = true where id = 61");
        long op = h.scalar("select id from users where username = 'op-alm'");
        h.exec("insert into alert_actions (alert_id, user_id, action, at, note, contact_party, contact_outcome) values"
                + " (61, " + op + ", 'ACKNOWLEDGED', '" + T0.plusSeconds(1300) + "', null, null, null),"
                + " (61, " + op + ", 'CONTACT', '" + T0.plusSeconds(1400) + "', 'no answer', 'SUBJECT', 'NO_ANSWER')");
        String supervisor = h.login("sup-alm");
        h.json("POST", "/api/v1/alerts/" + walked + "/contact", supervisor,
                "{\"party\":\"VICTIM\",\"outcome\":\"REACHED\",\"note\":\"She is safe at her sister's\"}", 200);

        logIn("sup-alm", ApiHarness.PASSWORD);
        awaitLive();
        browser.findElement(By.id("view-reports")).click();
        // the period of the test clock's alerts, as days in the agency's zone (2026-05-28T20:26:40Z is the 29th in Almaty)
        browser.executeScript("document.getElementById('r-from').value = '2026-05-29'; document.getElementById('r-to').value = '2026-05-29';");
        browser.findElement(By.id("r-show")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("report-total")).getText().endsWith(": 3"));
        String sla = browser.findElement(By.id("report-sla")).getText();
        assertTrue(sla.contains("CRITICAL 2:00 1 1 1"), "the CRITICAL alert acknowledged after 5 min broke its 2 min SLA: " + sla);
        List<String> operators = rows("report-operators").stream().map(WebElement::getText).collect(Collectors.toList());
        assertEquals(List.of("op-alm 1 0 1 0", "sup-alm 0 0 1 0"), operators);
        assertTrue(browser.findElement(By.id("report-times")).getText().contains("5:00"), "acknowledged after 5:00");
        screenshot("console-report.png");

        browser.findElement(By.id("view-history")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> rows("history-table").size() == 3);
        assertEquals(List.of("62", "61", Long.toString(walked)),
                rows("history-table").stream().map(r -> r.getAttribute("data-alert-id")).toList(), "newest first");
        browser.findElement(By.id("h-q")).sendKeys("curfew");
        browser.findElement(By.id("h-search")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> rows("history-table").size() == 1);
        browser.findElement(By.id("h-q")).clear();
        new Select(browser.findElement(By.id("h-type"))).selectByValue("EXCLUSION_VIOLATION");
        browser.findElement(By.id("h-search")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> rows("history-table").size() == 1
                && rows("history-table").get(0).getAttribute("data-alert-id").equals(Long.toString(walked)));
        screenshot("console-history.png");

        String console = browser.getWindowHandle();
        rows("history-table").get(0).findElement(By.className("report-btn")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.getWindowHandles().size() == 2);
        browser.switchTo().window(browser.getWindowHandles().stream().filter(w -> !w.equals(console)).findFirst().orElseThrow());
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.findElements(By.id("incident-map")).isEmpty());
        assertTrue(browser.findElement(By.id("report-history")).getText().contains("She is safe at her sister's"));
        assertEquals(16, browser.findElements(By.cssSelector("#report-track tbody tr")).size());
        assertFalse(browser.findElements(By.cssSelector("#incident-map .zone")).isEmpty(), "the zone is drawn");
        browser.executeScript("document.getElementById('incident-map').scrollIntoView()");
        screenshot("console-incident-report.png");
        assertEquals(1, h.scalar("select count(*) from audit_log where action = 'ALERT_REPORT_READ' and details->>'alertId' = '"
                + walked + "'"), "printing the report is recorded as evidence access");
        browser.switchTo().window(console);
    }

    @Test
    void userWithAResetPasswordIsLedToThePasswordChangeAndThenIntoTheConsole() throws Exception {
        String admin = h.login("admin");
        long id = h.scalar("select id from users where username = 'op-alm'");
        String oneTime = h.json("POST", "/api/v1/users/" + id + "/reset-password", admin, null, 200).get("oneTimePassword").asText();

        logIn("op-alm", oneTime);
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("password-view")).isDisplayed());
        assertTrue(browser.findElement(By.id("password-required")).isDisplayed(), "the reason is given");
        assertFalse(browser.findElement(By.id("main-view")).isDisplayed(), "no dead console behind it");
        assertFalse(browser.findElement(By.id("password-cancel")).isDisplayed(), "it cannot be skipped");

        browser.findElement(By.id("current-password")).sendKeys(oneTime);
        browser.findElement(By.id("new-password")).sendKeys("night shift password 1");
        browser.findElement(By.id("repeat-password")).sendKeys("night shift password 2");
        browser.findElement(By.id("password-save")).click();
        assertEquals("The new passwords differ", browser.findElement(By.id("password-error")).getText());
        browser.findElement(By.id("repeat-password")).clear();
        browser.findElement(By.id("repeat-password")).sendKeys("night shift password 1");
        screenshot("console-password-change.png");
        browser.findElement(By.id("password-save")).click();

        awaitLive();
        assertTrue(browser.findElement(By.id("main-view")).isDisplayed(), "the console starts after the change");
        assertFalse(browser.findElement(By.id("password-view")).isDisplayed());
        assertEquals(0, h.scalar("select count(*) from users where username = 'op-alm' and must_change_password"));
        assertEquals(1, h.scalar("select count(*) from audit_log where action = 'USER_PASSWORD_CHANGED'"));
        assertEquals(200, h.send("POST", "/api/v1/auth/login", null,
                "{\"username\":\"op-alm\",\"password\":\"night shift password 1\"}").statusCode(), "the new password works");
    }

    /**
     * A refused password change says why in the user's language: each policy failure has its own code and text
     * (too short, unchanged, wrong current password), and a language switch translates the shown refusal again.
     */
    @Test
    void refusedPasswordChangeSaysWhyInRussianAndKazakh() throws Exception {
        String token = h.login("op-alm");
        for (String[] refused : new String[][] {
            {"{\"currentPassword\":\"" + ApiHarness.PASSWORD + "\",\"newPassword\":\"short\"}", "400", "password_too_short"},
            {"{\"currentPassword\":\"" + ApiHarness.PASSWORD + "\",\"newPassword\":\"" + "ж".repeat(40) + "\"}", "400", "password_too_long"},
            {"{\"currentPassword\":\"" + ApiHarness.PASSWORD + "\",\"newPassword\":\"" + ApiHarness.PASSWORD + "\"}", "400", "password_unchanged"},
            {"{\"currentPassword\":\"not my password\",\"newPassword\":\"night shift password 1\"}", "403", "wrong_password"}}) {
            var r = h.send("POST", "/api/v1/auth/password", token, refused[0]);
            assertEquals(Integer.parseInt(refused[1]), r.statusCode(), r.body());
            assertEquals(refused[2], new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).get("error").asText(), r.body());
        }

        logIn("op-alm", ApiHarness.PASSWORD);
        awaitLive();
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("lang"))).selectByValue("ru");
        browser.findElement(By.id("password-btn")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("password-view")).isDisplayed());
        submitPasswordChange(ApiHarness.PASSWORD, "short");
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.findElement(By.id("password-error")).getText().isEmpty());
        assertEquals("Пароль не изменён: Пароль слишком короткий: не менее 10 символов", browser.findElement(By.id("password-error")).getText());
        screenshot("console-password-refused-ru.png");

        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("lang"))).selectByValue("kk");
        assertEquals("Құпиясөз өзгертілмеді: Құпия сөз тым қысқа: кемінде 10 таңба", browser.findElement(By.id("password-error")).getText(),
                "the shown refusal follows the language switch");
        submitPasswordChange(ApiHarness.PASSWORD, ApiHarness.PASSWORD);
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("password-error")).getText()
                .equals("Құпиясөз өзгертілмеді: Жаңа құпия сөз ағымдағысынан өзгеше болуы керек"));
        submitPasswordChange("not my password", "night shift password 1");
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("password-error")).getText()
                .equals("Құпиясөз өзгертілмеді: Ағымдағы құпия сөз қате"));
        assertEquals(0, h.scalar("select count(*) from audit_log where action = 'USER_PASSWORD_CHANGED'"), "nothing was changed");
    }

    private void submitPasswordChange(String current, String next) {
        for (String[] field : new String[][] {{"current-password", current}, {"new-password", next}, {"repeat-password", next}}) {
            browser.findElement(By.id(field[0])).clear();
            browser.findElement(By.id(field[0])).sendKeys(field[1]);
        }
        browser.executeScript("document.getElementById('password-error').textContent = ''");
        browser.findElement(By.id("password-save")).click();
    }

    /** The fixes {@link ApiHarness#walkIntoExclusionZone} sent, as the storage writer (not run by the harness) stores them. */
    private void storeWalkedTrack() throws Exception {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            Instant t = T0.plusSeconds(30L * i);
            long latE7 = Math.round(TestFleet.latNorthOfCentre(i < 4 ? 1000 : 80) * 1e7);
            values.append(i == 0 ? "" : ",").append("(1000, 10, 100, '").append(t).append("', '").append(t).append("', ")
                    .append(latE7).append(", ").append(Math.round(TestFleet.ZONE_LON * 1e7)).append(", 6, 0, ").append(i + 1).append(")");
        }
        h.exec("insert into positions (device_id, subject_id, order_id, fix_time, received_at, lat_e7, lon_e7, accuracy_m, flags,"
                + " journal_index) values " + values);
    }
}
