package io.kuzet.server.api;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's headless Chromium through its WebDriver, for the console's browser tests. Stateless. */
final class HeadlessChromium {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /**
     * Starts a browser with a fresh profile in {@code profile}. Without Chromium the test is skipped, except where
     * {@code KUZET_REQUIRE_BROWSER} is set (CI, after {@code .ci/run} installed it): there a missing browser fails.
     */
    static ChromeDriver open(Path profile) {
        boolean browserInstalled = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        if (System.getenv("KUZET_REQUIRE_BROWSER") != null && !browserInstalled) {
            throw new IllegalStateException("KUZET_REQUIRE_BROWSER is set but " + CHROMIUM + " or " + DRIVER + " is missing");
        }
        assumeTrue(browserInstalled, "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1400,900");
        ChromeDriver browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build(), options);
        browser.manage().timeouts().implicitlyWait(Duration.ZERO);
        return browser;
    }
}
