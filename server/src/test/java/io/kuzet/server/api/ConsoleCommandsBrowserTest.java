package io.kuzet.server.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.kuzet.KuzetCommands;
import io.kuzet.protocol.kuzet.KuzetMessageType;
import io.kuzet.server.journal.Protocol;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.TestFleet;
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
 * The console shows command results (issue 15): an operator sends "locate now" with a reason from the alert detail,
 * sees it waiting for the disconnected bracelet, and sees it turn "done" live when the bracelet reconnects, gets it and
 * answers. An operator is not offered the reporting-interval change. Screenshot: {@code server/target/console-commands.png}.
 */
class ConsoleCommandsBrowserTest {
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
    void operatorSendsLocateNowAndSeesTheBraceletsAnswerLive() throws Exception {
        browser.get(h.base() + "/");
        browser.findElement(By.id("username")).sendKeys("op-alm");
        browser.findElement(By.id("password")).sendKeys(ApiHarness.PASSWORD);
        browser.findElement(By.id("login-btn")).click();
        await().atMost(Duration.ofSeconds(15)).until(() -> "true".equals(browser.findElement(By.id("live-status")).getAttribute("data-connected")));
        await().atMost(Duration.ofSeconds(5)).until(() -> h.api.liveHub().subscribers() == 1);

        h.walkIntoExclusionZone();   // the bracelet disconnects afterwards
        await().atMost(Duration.ofSeconds(15)).until(() -> browser.findElements(By.cssSelector("#queue li")).size() == 1);
        browser.findElements(By.cssSelector("#queue li")).get(0).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("commands")).isDisplayed());

        Select kind = new Select(browser.findElement(By.id("cmd-kind")));
        assertEquals(List.of("Locate now", "Request status", "Vibrate (warn the wearer)"),
                kind.getOptions().stream().map(WebElement::getText).toList(), "interval changes are for supervisors");
        kind.selectByValue("LOCATE_NOW");
        browser.findElement(By.id("cmd-send")).click();
        await().atMost(Duration.ofSeconds(5)).until(() -> browser.findElement(By.id("cmd-error")).getText().equals("A reason is required"));
        browser.findElement(By.id("cmd-reason")).sendKeys("Inside the victim's zone; confirm the position");
        browser.findElement(By.id("cmd-send")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> "QUEUED".equals(commandState()));
        assertTrue(commandText().contains("waiting for the device"), commandText());

        try (KuzetTestClient device = new KuzetTestClient(h.server.port(Protocol.KUZET)).receivingCommands()) {
            KuzetTestClient.Reply login = device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY);
            device.startSequenceAt(login.value + 1);
            KuzetTestClient.Reply command = device.read();
            assertEquals(KuzetMessageType.COMMAND, command.type);
            assertEquals(KuzetCommands.REQUEST_POSITION, command.status);
            await().atMost(Duration.ofSeconds(10)).until(() -> "SENT".equals(commandState()));
            device.sendCommandResult(command.value, KuzetCommands.RESULT_DONE);
            assertEquals(KuzetMessageType.ACK, device.read().type);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> "DONE".equals(commandState()));
        String row = commandText();
        assertTrue(row.contains("Locate now") && row.contains("done") && row.contains("op-alm")
                && row.contains("confirm the position") && row.contains("Asia/Almaty"), row);
        browser.executeScript("document.getElementById('cmd-list').scrollIntoView({block: 'center'})");
        Files.createDirectories(Path.of("target"));
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", "console-commands.png"),
                StandardCopyOption.REPLACE_EXISTING);

        new Select(browser.findElement(By.id("lang"))).selectByValue("ru");
        await().atMost(Duration.ofSeconds(5)).until(() -> commandText().contains("выполнена"));
    }

    private String commandState() {
        List<WebElement> rows = browser.findElements(By.cssSelector("#cmd-list li"));
        return rows.isEmpty() ? null : rows.get(0).getAttribute("data-state");
    }

    private String commandText() {
        return browser.findElement(By.cssSelector("#cmd-list li")).getText();
    }
}
