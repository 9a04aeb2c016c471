package io.kuzet.server.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.server.testing.TestFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The console's map in headless Chromium (issue 13): opening an exclusion violation shows the subject's position
 * marker inside the visible map without any resize, the breached zone emphasised, the subject's other zone drawn
 * plainly and neither the agency's unrelated zones nor those of the subject's ended order, the fixes that triggered
 * the alert with their accuracy circles, a time-labelled track with playback, and the last positions of all subjects
 * as a layer the operator switches on. Screenshot: {@code server/target/console-map.png} (docs/console.md).
 */
class ConsoleMapBrowserTest {
    /** Degrees of longitude per metre at the test zone's latitude (43.238 N). */
    private static final double LON_PER_M = 1 / (111_000.0 * Math.cos(Math.toRadians(TestFleet.ZONE_LAT)));

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

    /** A circle zone as stored by the API (a GeoJSON point with radius_m). */
    private void zone(long id, long agency, String name, double metresEast, double radius) throws Exception {
        h.exec("insert into zones (id, agency_id, name, geojson) values (" + id + ", " + agency + ", '" + name + "', "
                + "'{\"type\":\"Feature\",\"properties\":{\"radius_m\":" + radius + "},\"geometry\":{\"type\":\"Point\","
                + "\"coordinates\":[" + (TestFleet.ZONE_LON + metresEast * LON_PER_M) + "," + TestFleet.ZONE_LAT + "]}}')");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> rect(String selector) {
        return (Map<String, Object>) browser.executeScript(
                "var r = document.querySelector(arguments[0]).getBoundingClientRect();"
                        + "return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};", selector);
    }

    private static double n(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    private List<String> zoneIds(String cssClass) {
        @SuppressWarnings("unchecked")
        List<String> ids = (List<String>) browser.executeScript("return Array.from(document.querySelectorAll('#map path."
                + cssClass + "')).map(function (p) { return p.getAttribute('data-zone-id'); }).sort();");
        return ids;
    }

    /** The text of every open tooltip, also of one the map has panned out of view. */
    private List<String> tooltips() {
        @SuppressWarnings("unchecked")
        List<String> texts = (List<String>) browser.executeScript(
                "return Array.from(document.querySelectorAll('.leaflet-tooltip')).map(function (t) { return t.textContent; });");
        return texts;
    }

    @Test
    void exclusionViolationShowsTheMarkerInViewAndTheBreachedZoneEmphasisedWithoutResizing() throws Exception {
        zone(501, 1, "Another case zone", -300, 100);
        zone(502, 2, "Other agency zone", 0, 150);
        zone(503, 1, "Old workplace", 600, 100);
        h.exec("insert into rules (id, order_id, name, kind, zone_id) values (5001, 100, 'Stay away from old workplace', 'EXCLUSION', 503)");
        zone(504, 1, "Zone of an ended order", 300, 100);
        h.exec("insert into orders (id, subject_id, legal_reference, kind, starts_at, ends_at, time_zone, risk_level) values"
                + " (101, 10, 'Almaty court 2-7/2025', 'PAROLE', '2025-01-01T00:00:00Z', '2025-06-01T00:00:00Z', 'Asia/Almaty', 'LOW')");
        h.exec("insert into rules (id, order_id, name, kind, zone_id) values (5002, 101, 'Stay away from the bar', 'EXCLUSION', 504)");
        h.reloadRegistry();

        browser.get(h.base() + "/");
        browser.findElement(By.id("username")).sendKeys("sup-alm");
        browser.findElement(By.id("password")).sendKeys(ApiHarness.PASSWORD);
        browser.findElement(By.id("login-btn")).click();
        await().atMost(Duration.ofSeconds(15)).until(() -> "true".equals(browser.findElement(By.id("live-status")).getAttribute("data-connected")));
        await().atMost(Duration.ofSeconds(5)).until(() -> h.api.liveHub().subscribers() == 1);

        h.walkIntoExclusionZone();
        await().atMost(Duration.ofSeconds(15)).until(() -> h.scalar("select count(*) from alerts where type = 'EXCLUSION_VIOLATION'") == 1);
        h.storeTrackOfTheWalk();
        await().atMost(Duration.ofSeconds(15)).until(() -> !browser.findElements(By.cssSelector("#queue li")).isEmpty());
        browser.findElement(By.cssSelector("#queue li")).click();
        await().atMost(Duration.ofSeconds(15)).until(() -> !browser.findElements(By.cssSelector("#map path.kuzet-position")).isEmpty()
                && !browser.findElements(By.cssSelector("#map path.zone-breached")).isEmpty());
        Thread.sleep(500); // let a fit-bounds animation, if any, settle before measuring

        Map<String, Object> map = rect("#map");
        Map<String, Object> marker = rect("#map path.kuzet-position");
        assertTrue(n(marker, "top") >= n(map, "top") && n(marker, "bottom") <= n(map, "bottom")
                && n(marker, "left") >= n(map, "left") && n(marker, "right") <= n(map, "right"),
                "the position marker " + marker + " is inside the visible map " + map + " without a resize");
        Map<String, Object> breached = rect("#map path.zone-breached");
        assertTrue(n(breached, "top") >= n(map, "top") && n(breached, "bottom") <= n(map, "bottom"),
                "the breached zone " + breached + " is in view in " + map);

        assertEquals(List.of("500"), zoneIds("zone-breached"), "the violated zone is emphasised");
        assertEquals(List.of("503"), zoneIds("zone-own"), "the subject's other zone is drawn, not emphasised");
        assertEquals(List.of("500", "503"), zoneIds("kuzet-zone"), "no zone of another subject or agency, or of an ended order, is drawn");
        String breachedStroke = browser.findElement(By.cssSelector("#map path.zone-breached")).getAttribute("stroke-width");
        String ownStroke = browser.findElement(By.cssSelector("#map path.zone-own")).getAttribute("stroke-width");
        assertTrue(Double.parseDouble(breachedStroke) > Double.parseDouble(ownStroke),
                "the breached zone has the heavier outline: " + breachedStroke + " vs " + ownStroke);

        long fixCount = h.scalar("select (details->>'fixCount')::int from alerts where type = 'EXCLUSION_VIOLATION'");
        assertTrue(fixCount > 0);
        assertEquals(fixCount, browser.findElements(By.cssSelector("#map path.kuzet-trigger-fix")).size(),
                "each fix that triggered the alert is marked");
        assertEquals(fixCount, browser.findElements(By.cssSelector("#map path.kuzet-trigger-accuracy")).size(),
                "with its accuracy circle");
        assertEquals(16, browser.findElements(By.cssSelector("#map path.kuzet-breadcrumb")).size(), "one breadcrumb per fix");
        assertEquals(1, h.scalar("select count(*) from audit_log where action = 'LOCATION_TRACK_READ' and subject_id = 10"),
                "the track is read once per alert opened, and audited");

        // a breadcrumb names its time in the agency's zone
        // (the pointer's arrival, as Leaflet hears it; a real hover may land on a marker drawn over the breadcrumb)
        browser.executeScript("document.querySelectorAll('#map path.kuzet-breadcrumb')[5]"
                + ".dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));");
        await().atMost(Duration.ofSeconds(5)).until(() -> !browser.findElements(By.cssSelector(".leaflet-tooltip")).isEmpty());
        String tooltip = browser.findElement(By.cssSelector(".leaflet-tooltip")).getText();
        assertTrue(tooltip.matches("(?s).*\\d{2}:\\d{2}:\\d{2} Asia/Almaty.*"), "breadcrumb tooltip: " + tooltip);
        Files.createDirectories(Path.of("target"));
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", "console-map.png"), StandardCopyOption.REPLACE_EXISTING);

        // playback: from the first fix onwards, the marker and its time label move along the track
        WebElement slider = browser.findElement(By.id("track-slider"));
        int end = Integer.parseInt(slider.getAttribute("max"));
        assertEquals(15, end);
        assertEquals(end, Integer.parseInt(slider.getAttribute("value")), "the marker starts at the newest fix");
        String newest = browser.findElement(By.id("track-time")).getText();
        browser.findElement(By.id("track-play")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> Integer.parseInt(slider.getAttribute("value")) < end);
        int early = Integer.parseInt(slider.getAttribute("value"));
        String earlyTime = browser.findElement(By.id("track-time")).getText();
        await().atMost(Duration.ofSeconds(10)).until(() -> Integer.parseInt(slider.getAttribute("value")) > early);
        browser.findElement(By.id("track-play")).click();
        assertNotEquals(newest, earlyTime, "the time label follows the played fix");

        // every subject's last position, on request
        assertTrue(browser.findElements(By.cssSelector("#map path.kuzet-latest")).isEmpty(), "off by default");
        browser.findElement(By.id("layer-latest")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElements(By.cssSelector("#map path.kuzet-latest")).size() == 1);
        assertEquals(1, h.scalar("select count(*) from audit_log where action = 'LOCATION_LATEST_READ'"), "the read is audited");
        browser.executeScript("document.querySelector('#map path.kuzet-latest').dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));");
        await().atMost(Duration.ofSeconds(5)).until(() -> tooltips().stream().anyMatch(t -> t.contains("KZ-2026-0001")));
        assertTrue(tooltips().stream().anyMatch(t -> t.matches("Test Subject \\(KZ-2026-0001\\) · 2026-05-29 01:34:10 Asia/Almaty")),
                "the last position names the subject and its time: " + tooltips());
        browser.findElement(By.id("layer-latest")).click();
        await().atMost(Duration.ofSeconds(5)).until(() -> browser.findElements(By.cssSelector("#map path.kuzet-latest")).isEmpty());
    }
}
