package io.kuzet.server.journal;

import io.kuzet.server.testing.ChildJvm;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.server.alert.AlertJournal;
import io.kuzet.server.testing.JournalAppendKillChild;
import io.kuzet.server.testing.RunningServer;
import io.kuzet.server.testing.TestFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A server SIGKILLed in the middle of a journal append (a child JVM that stops exactly there, then is killed) comes
 * back up unattended on the same data directory, with every complete record once and appends continuing after them.
 * The bad case found by a kill test: the kill came while an append was creating the day's new file, and the restart
 * failed (the live hub's tailer threw Chronicle's NotReachedException).
 */
class JournalKilledMidAppendTest {
    @TempDir
    Path dataDir;
    Process child;

    @AfterEach
    void killChild() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    /** The kill test's case: the first alert of a fresh data directory; the restart failed with NotReachedException. */
    @Test
    void serverRestartsAfterAKillWhileTheFirstAlertWasCreatingTheAlertsJournalsFirstFile() throws Exception {
        killWhileAppending("alerts", "cut", 0);
        try (RunningServer restarted = new RunningServer(dataDir, TestFleet.registry(3600))) {
            assertEquals(List.of(), alertIds(restarted.server.alertJournal()), "no complete alert, none invented");
            assertEquals(1.0, restarted.server.meters().get("kuzet_journal_crash_recoveries").tag("journal", "alerts")
                    .counter().count(), "the recovery is counted");
        }
        assertAppendsContinue(0);
    }

    @Test
    void serverRestartsAfterAKillWhileTheAlertsJournalWasCreatingItsDailyFile() throws Exception {
        killWhileAppending("alerts", "cut", 20);
        try (RunningServer restarted = new RunningServer(dataDir, TestFleet.registry(3600))) {
            assertEquals(ids(1, 20), alertIds(restarted.server.alertJournal()), "every complete alert once");
            assertEquals(1.0, restarted.server.meters().get("kuzet_journal_crash_recoveries").tag("journal", "alerts")
                    .counter().count(), "the recovery is counted");
        }
        assertAppendsContinue(20);
    }

    @Test
    void serverRestartsAfterAKillInTheMiddleOfAnAlertAndKeepsEveryCompleteOne() throws Exception {
        killWhileAppending("alerts", "hold", 50);
        try (RunningServer restarted = new RunningServer(dataDir, TestFleet.registry(3600))) {
            assertEquals(ids(1, 50), alertIds(restarted.server.alertJournal()), "every complete alert once, the half one not");
        }
        assertAppendsContinue(50);
    }

    @Test
    void serverRestartsAfterAKillWhileTheIngestJournalWasCreatingItsDailyFileAndKeepsEveryAckedRecord() throws Exception {
        killWhileAppending("journal", "cut", 20);
        try (RunningServer restarted = new RunningServer(dataDir, TestFleet.registry(3600))) {
            List<Long> sequences = new ArrayList<>();
            restarted.journaledMessages().forEach(m -> sequences.add(m[1]));
            assertEquals(ids(1, 20), sequences, "every acked record once");
            assertEquals(1.0, restarted.server.meters().get("kuzet_journal_crash_recoveries").tag("journal", "ingest")
                    .counter().count(), "the recovery is counted");
        }
    }

    /**
     * Real kills at random moments of an append loop in which every alert creates a new daily file: after each kill the
     * journal opens, holds alerts 1..n each once with no gap, and takes the next one.
     */
    @Test
    @Tag("slow")
    void alertsJournalSurvivesRepeatedKillsAtRandomMomentsOfRollingAppends() throws Exception {
        java.util.Random random = new java.util.Random(42);
        int recovered = 0;
        for (int round = 0; round < 25; round++) {
            Files.deleteIfExists(dataDir.resolve("alerts.holding"));
            killWhileAppending("alerts", "roll", 5, random.nextInt(200));
            try (AlertJournal journal = new AlertJournal(dataDir.resolve("alerts"))) {
                recovered += journal.crashRecoveries();
                List<Long> ids = alertIds(journal);
                assertEquals(ids(1, ids.size()), ids, "round " + round + ": every complete alert once, in order");
                journal.createTailer().toEnd().close();
            }
        }
        LoggerFactory.getLogger(JournalKilledMidAppendTest.class).info("25 kills of a rolling alerts journal: {} half-created "
                + "files moved aside, every restart opened", recovered);
    }

    /** After the restart the journal takes new alerts after the complete ones and still refuses a repeated one. */
    private void assertAppendsContinue(int complete) {
        try (AlertJournal journal = new AlertJournal(dataDir.resolve("alerts"))) {
            journal.rememberFrom(-1);
            journal.trim();
            if (complete > 0) {
                assertFalse(journal.append(JournalAppendKillChild.alert(complete)), "an alert in the journal is not raised twice");
            }
            assertTrue(journal.append(JournalAppendKillChild.alert(complete + 1)));
            assertEquals(ids(1, complete + 1), alertIds(journal));
        }
    }

    private void killWhileAppending(String directory, String mode, int complete) throws Exception {
        killWhileAppending(directory, mode, complete, 0);
    }

    private void killWhileAppending(String directory, String mode, int complete, int afterMs) throws Exception {
        Path dir = dataDir.resolve(directory);
        List<String> command = ChildJvm.java();
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), JournalAppendKillChild.class.getName(),
                directory.equals("alerts") ? "alerts" : "ingest", dir.toString(), mode, Integer.toString(complete)));
        child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("child.log").toFile()).start();
        Path marker = dir.resolveSibling(dir.getFileName() + ".holding");
        await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(marker) || !child.isAlive());
        assertTrue(child.isAlive(), "the child died before the kill: " + Files.readString(dataDir.resolve("child.log")));
        Thread.sleep(afterMs);
        child.destroyForcibly().waitFor();   // SIGKILL in the middle of the append
    }

    private static List<Long> alertIds(AlertJournal journal) {
        List<Long> ids = new ArrayList<>();
        journal.readAll((alert, index) -> ids.add(alert.alertId()));
        return ids;
    }

    private static List<Long> ids(long from, long to) {
        List<Long> ids = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            ids.add(i);
        }
        return ids;
    }
}
