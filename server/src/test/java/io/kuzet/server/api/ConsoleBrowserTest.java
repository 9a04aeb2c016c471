package io.kuzet.server.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * The console in headless Chromium (Debian {@code chromium} + {@code chromium-driver}, installed by {@code .ci/run}):
 * a supervisor logs in, an alert raised by a device over TCP appears live without a reload, is acknowledged and
 * resolved in the page, and the database holds the actions and the audit entries. Leaves
 * {@code server/target/console-screenshot.png}.
 */
class ConsoleBrowserTest {
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
    void supervisorSeesAnAlertFromATcpDeviceLiveAndAcknowledgesAndResolvesItInTheConsole() throws Exception {
        browser.get(h.base() + "/");
        new Select(browser.findElement(By.id("lang"))).selectByValue("ru");
        assertEquals("Войти", browser.findElement(By.id("login-btn")).getText(), "Russian interface text");
        new Select(browser.findElement(By.id("lang"))).selectByValue("kk");
        assertEquals("Кіру", browser.findElement(By.id("login-btn")).getText(), "Kazakh interface text");
        new Select(browser.findElement(By.id("lang"))).selectByValue("en");

        browser.findElement(By.id("username")).sendKeys("sup-alm");
        browser.findElement(By.id("password")).sendKeys(ApiHarness.PASSWORD);
        browser.findElement(By.id("login-btn")).click();
        await().atMost(Duration.ofSeconds(15)).until(() -> "true".equals(browser.findElement(By.id("live-status")).getAttribute("data-connected")));
        await().atMost(Duration.ofSeconds(5)).until(() -> h.api.liveHub().subscribers() == 1);

        h.walkIntoExclusionZone();
        await().atMost(Duration.ofSeconds(15)).until(() -> !browser.findElements(By.cssSelector("#queue li")).isEmpty());
        WebElement item = browser.findElement(By.cssSelector("#queue li"));
        String alertId = item.getAttribute("data-alert-id");
        await().atMost(Duration.ofSeconds(15)).until(() -> h.scalar("select count(*) from alerts where id = " + alertId) == 1);
        h.storeTrackOfTheWalk();
        item.click();
        await().atMost(Duration.ofSeconds(10)).until(() -> "OPEN".equals(browser.findElement(By.id("alert-state")).getAttribute("data-state")));
        await().atMost(Duration.ofSeconds(10)).until(() -> !browser.findElement(By.id("track-time")).getText().isEmpty());
        Files.createDirectories(Path.of("target"));
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", "console-screenshot.png"),
                StandardCopyOption.REPLACE_EXISTING);

        browser.findElement(By.id("ack-btn")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> "ACKNOWLEDGED".equals(
                browser.findElement(By.id("alert-state")).getAttribute("data-state")));
        new Select(browser.findElement(By.id("disposition"))).selectByValue("SUBJECT_CONTACTED");
        browser.findElement(By.id("note")).sendKeys("Phoned the subject; he left the zone");
        browser.findElement(By.id("resolve-btn")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> "RESOLVED".equals(
                browser.findElement(By.id("alert-state")).getAttribute("data-state")));

        assertEquals(List.of("RESOLVED SUBJECT_CONTACTED"),
                h.strings("select state || ' ' || disposition from alerts where id = " + alertId));
        assertEquals(List.of("ACKNOWLEDGED", "RESOLVED"),
                h.strings("select action from alert_actions where alert_id = " + alertId + " order by id"));
        assertEquals(List.of("ALERT_ACKNOWLEDGED sup-alm", "ALERT_RESOLVED sup-alm"), h.strings(
                "select a.action || ' ' || u.username from audit_log a join users u on u.id = a.user_id"
                        + " where a.details->>'alertId' = '" + alertId + "' order by a.id"));
        assertEquals(1, h.scalar("select count(*) from audit_log where action = 'LOCATION_TRACK_READ' and subject_id = 10"),
                "the map's track read is audited");
    }
}
