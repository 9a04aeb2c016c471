package io.kuzet.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.server.alert.Alert;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end acceptance: each scripted scenario runs against an in-process server over real sockets on simulated
 * time, and the alerts in the server's alert journal must match the scenario's expectations. One test per alert type
 * the server raises today.
 */
class AlertScenariosTest {
    @TempDir
    Path dataDir;

    private ScenarioResult run(String name) throws Exception {
        ScenarioFile scenario;
        try (InputStream in = getClass().getResourceAsStream("/scenarios/" + name + ".yaml")) {
            scenario = ScenarioFile.read(in);
        }
        ScenarioResult result = new ScenarioRunner().run(scenario, dataDir);
        assertEquals(List.of(), result.failures(scenario.expect), name);
        assertEquals(List.of(), result.duplicateMessages(), "no message stored twice");
        return result;
    }

    @Test
    void walkingIntoTheVictimsHomeRaisesOneExclusionViolationThatClearsAfterLeaving() throws Exception {
        Alert raised = run("exclusion-visit").alerts("EXCLUSION_VIOLATION", "RAISED", "offender").get(0);
        assertTrue(raised.detectedAtMs() - raised.fixTimeMs() < 60_000, "detected within a minute of the deciding fix");
    }

    @Test
    void leavingTheWorkReleaseZoneRaisesAnInclusionViolation() throws Exception {
        run("inclusion-leave");
    }

    @Test
    void goingOutDuringCurfewRaisesACurfewViolationThatClearsOnReturn() throws Exception {
        run("curfew-night-out");
    }

    @Test
    void approachingTheVictimsUnitRaisesAProximityViolation() throws Exception {
        run("proximity-approach");
    }

    @Test
    void cuttingTheStrapRaisesATamperAlertThatNeverClearsByItself() throws Exception {
        run("strap-tamper");
    }

    @Test
    void aDrainingBatteryRaisesLowThenCriticalAndChargingClearsIt() throws Exception {
        run("battery-drain");
    }

    @Test
    void aSilentDeviceRaisesNoCommunicationAndReconnectingClearsIt() throws Exception {
        run("no-communication");
    }

    @Test
    void aShieldedDeviceThatStillCommunicatesRaisesNoGpsFix() throws Exception {
        run("no-gps-fix");
    }

    @Test
    void aViolationInsideACoverageGapIsRaisedFromTheReplayedBufferStatingItsUploadDelay() throws Exception {
        ScenarioResult result = run("late-store-and-forward");
        Alert replayed = result.alerts("EXCLUSION_VIOLATION", "RAISED", "roamer").get(0);
        assertTrue(replayed.detectedAtMs() - replayed.fixTimeMs() > 5 * 60_000, "detection time after the reconnect, fix time inside the gap");
        assertTrue(replayed.explanation().contains("min after the fix"), replayed.explanation());
    }

    @Test
    void retransmissionsAfterLostAcksAreStoredOnce() throws Exception {
        ScenarioResult result = run("lost-ack");
        long stored = result.journaledMessages().size();
        assertTrue(stored > 20, "the device kept reporting: " + stored + " messages");
        assertTrue(result.retransmissionsDeduplicated() >= 2, "each retransmission reached the server and was acked, not stored");
    }
}
