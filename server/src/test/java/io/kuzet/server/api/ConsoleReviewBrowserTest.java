package io.kuzet.server.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.server.testing.RunningServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
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
 * The operator's review flows in headless Chromium (issue 13): a violation that ended by itself stays in the queue
 * as "ended, needs review" until a supervisor resolves it and escalates when nobody reviews it; a contact-log entry
 * and a resolve by a supervisor; the page title and the notification hook for a CRITICAL alert, with times in the
 * agency's time zone and no resolve offered to an operator. Screenshots go to {@code server/target/console-*.png}
 * (referenced in docs/console.md).
 */
class ConsoleReviewBrowserTest {
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

    private String openViolation() throws Exception {
        h.walkIntoExclusionZone();
        await().atMost(Duration.ofSeconds(15)).until(() -> h.scalar("select count(*) from alerts where type = 'EXCLUSION_VIOLATION'") == 1);
        return Long.toString(h.scalar("select id from alerts where type = 'EXCLUSION_VIOLATION'"));
    }

    @Test
    void clearedViolationStaysInTheQueueUntilReviewedAndEscalatesWhenNobodyReviewsIt() throws Exception {
        logIn("sup-alm");
        String alertId = openViolation();
        h.walkOutOfExclusionZone();
        await().atMost(Duration.ofSeconds(15)).until(() -> h.scalar("select count(*) from alerts where state = 'CLEARED' and id = " + alertId) == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> queue().size() == 1
                && "ENDED_NEEDS_REVIEW".equals(queue().get(0).getAttribute("data-review")));
        assertTrue(queue().get(0).getText().contains("ended, needs review"), queue().get(0).getText());
        assertEquals("(1) Kuzet", browser.getTitle());

        browser.navigate().refresh();   // also after a reload: the server's queue holds it
        await().atMost(Duration.ofSeconds(15)).until(() -> queue().size() == 1
                && "ENDED_NEEDS_REVIEW".equals(queue().get(0).getAttribute("data-review")));
        screenshot("console-ended-needs-review.png");

        h.clock.set(RunningServer.T0 + Duration.ofHours(1).toMillis());
        assertEquals(1, h.api.escalateNow().size());
        await().atMost(Duration.ofSeconds(10)).until(() -> queue().get(0).getText().contains("escalated"));
        screenshot("console-escalated.png");

        queue().get(0).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> "CLEARED".equals(browser.findElement(By.id("alert-state")).getAttribute("data-state")));
        new Select(browser.findElement(By.id("disposition"))).selectByValue("CONFIRMED_VIOLATION");
        browser.findElement(By.id("note")).sendKeys("Track reviewed: entered the victim's home zone for 7 minutes");
        browser.findElement(By.id("resolve-btn")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> queue().isEmpty());
        assertEquals("Kuzet", browser.getTitle());
        assertEquals(List.of("RESOLVED CONFIRMED_VIOLATION"), h.strings("select state || ' ' || disposition from alerts where id = " + alertId));
    }

    @Test
    void supervisorLogsAContactAndAResolveAndTheHistoryShowsThem() throws Exception {
        logIn("sup-alm");
        String alertId = openViolation();
        await().atMost(Duration.ofSeconds(15)).until(() -> queue().size() == 1);
        queue().get(0).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> "OPEN".equals(browser.findElement(By.id("alert-state")).getAttribute("data-state")));
        assertTrue(browser.findElement(By.id("resolve-controls")).isDisplayed(), "a supervisor may resolve");
        browser.findElement(By.id("ack-btn")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("d-taken")).getText().equals("sup-alm"));

        new Select(browser.findElement(By.id("contact-party"))).selectByValue("VICTIM");
        new Select(browser.findElement(By.id("contact-outcome"))).selectByValue("REACHED");
        browser.findElement(By.id("contact-note")).sendKeys("She is at home and safe; police informed");
        browser.findElement(By.id("contact-btn")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.findElements(By.cssSelector("#d-history li[data-action='CONTACT']")).isEmpty());
        String entry = browser.findElement(By.cssSelector("#d-history li[data-action='CONTACT']")).getText();
        assertTrue(entry.contains("Called the victim · reached") && entry.contains("sup-alm") && entry.contains("She is at home"), entry);
        assertTrue(entry.contains("Asia/Almaty"), "history times name the agency's zone: " + entry);

        browser.findElement(By.id("comment")).sendKeys("Subject's phone off; officer on the way");
        browser.findElement(By.id("comment-btn")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.findElements(By.cssSelector("#d-history li[data-action='COMMENTED']")).isEmpty());
        screenshot("console-contact-log.png");

        new Select(browser.findElement(By.id("disposition"))).selectByValue("POLICE_DISPATCHED");
        browser.findElement(By.id("note")).sendKeys("Police patrol confirmed he left");
        browser.findElement(By.id("resolve-btn")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> "RESOLVED".equals(browser.findElement(By.id("alert-state")).getAttribute("data-state")));

        assertEquals(List.of("ACKNOWLEDGED", "CONTACT VICTIM REACHED", "COMMENTED", "RESOLVED"), h.strings(
                "select action || coalesce(' ' || contact_party || ' ' || contact_outcome, '') from alert_actions where alert_id = "
                        + alertId + " order by id"));
        assertEquals(List.of("ALERT_ACKNOWLEDGED", "ALERT_CONTACT", "ALERT_COMMENTED", "ALERT_RESOLVED"), h.strings(
                "select action from audit_log where details->>'alertId' = '" + alertId + "' order by id"));
    }

    @Test
    void criticalAlertCountsInTheTitleAndIsAnnouncedWithTimesInTheAgencyZone() throws Exception {
        h.setRiskLevel("HIGH");   // a high-risk order raises the exclusion violation to CRITICAL
        logIn("op-alm");
        assertEquals("Kuzet", browser.getTitle());
        openViolation();
        await().atMost(Duration.ofSeconds(15)).until(() -> queue().size() == 1);
        assertTrue(queue().get(0).getAttribute("class").contains("sev-CRITICAL"));
        await().atMost(Duration.ofSeconds(5)).until(() -> "(1) Kuzet".equals(browser.getTitle()));
        assertEquals(1L, browser.executeScript("return window.KUZET_ANNOUNCED.notifications"), "one notification for the CRITICAL alert");
        assertEquals(1L, browser.executeScript("return window.KUZET_ANNOUNCED.beeps"), "one (triple) beep");
        assertTrue(queue().get(0).findElement(By.className("sla")).getText().startsWith("SLA"), "a live SLA countdown");

        queue().get(0).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> "OPEN".equals(browser.findElement(By.id("alert-state")).getAttribute("data-state")));
        String detected = browser.findElement(By.id("d-detected")).getText();
        assertTrue(detected.matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} Asia/Almaty"), "local time, no milliseconds, zone named: " + detected);
        assertFalse(browser.findElement(By.id("resolve-controls")).isDisplayed(), "an operator is not offered resolve");
        browser.findElement(By.id("mute-btn")).click();
        assertEquals("true", browser.findElement(By.id("mute-btn")).getAttribute("aria-pressed"));
        screenshot("console-critical.png");
    }
}
