package io.kuzet.server.ingest;

import io.kuzet.server.testing.ChildJvm;
import static io.kuzet.server.testing.Fixes.fixAt;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.kuzet.KuzetMessageType;
import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertJournal;
import io.kuzet.server.journal.IngestJournal;
import io.kuzet.server.journal.IngestReader;
import io.kuzet.server.journal.IngestRecord;
import io.kuzet.server.journal.ProcessDurability;
import io.kuzet.server.testing.KuzetTestClient;
import io.kuzet.server.testing.TestFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a server in a child JVM while a device streams fixes: after a restart every acked message is in the
 * journal exactly once, the device resumes from what the server says it stored, and no alert is emitted twice.
 */
class CrashRecoveryTest {
    private static final long T0 = 1_780_000_000_000L;
    private static final int TOTAL = 6000;

    @TempDir
    Path dataDir;
    Process child;

    @AfterEach
    void killChild() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    private int startChild() throws Exception {
        Files.deleteIfExists(dataDir.resolve("kuzet.port"));
        List<String> command = ChildJvm.java();
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.kuzet.server.testing.ChildServerMain", dataDir.toString()));
        child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("child-" + System.nanoTime() + ".log").toFile()).start();
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(dataDir.resolve("kuzet.port")) || !child.isAlive());
        assertTrue(child.isAlive(), "child server died at start");
        return Integer.parseInt(Files.readString(dataDir.resolve("kuzet.port")).trim());
    }

    /** Message i: outside the zone, except a stretch deep inside so alerts are raised before and after the crash. */
    private static double metresNorth(long seq) {
        return (seq % 1000) >= 300 && (seq % 1000) < 360 ? 60 : 1500;
    }

    @Test
    void killMinusNineLosesNoAckedFixAndDuplicatesNothing() throws Exception {
        int port = startChild();
        Set<Long> acked = new ConcurrentSkipListSet<>();
        AtomicBoolean killed = new AtomicBoolean();
        try (KuzetTestClient device = new KuzetTestClient(port)) {
            assertEquals(0, device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY).status);
            Thread reader = new Thread(() -> {
                try {
                    while (true) {
                        KuzetTestClient.Reply reply = device.read();
                        if (reply.type == KuzetMessageType.ACK) {
                            acked.add(reply.value);
                        }
                    }
                } catch (Exception endOfStream) {
                    // the server was killed
                }
            });
            reader.start();
            try {
                for (long seq = 1; seq <= TOTAL && !killed.get(); seq++) {
                    device.sendPositions(fixAt(T0 + seq * 15_000, TestFleet.latNorthOfCentre(metresNorth(seq)), TestFleet.ZONE_LON, 5));
                    if (seq == TOTAL / 2) {
                        await().atMost(Duration.ofSeconds(30)).until(() -> acked.size() >= TOTAL / 3);
                        child.destroyForcibly().waitFor();   // SIGKILL mid-stream: frames in flight, acks in flight
                        killed.set(true);
                    }
                }
            } catch (java.io.IOException brokenPipe) {
                killed.set(true);
            }
            reader.join(10_000);
        }
        assertTrue(killed.get());
        long maxAcked = acked.stream().mapToLong(Long::longValue).max().orElseThrow();

        Map<Long, Integer> journaled = journaledSequences();
        for (long seq : acked) {
            assertEquals(1, journaled.getOrDefault(seq, 0), "acked sequence " + seq + " must be journaled exactly once");
        }

        // restart: the device asks what was stored and replays the rest of its buffer
        port = startChild();
        try (KuzetTestClient device = new KuzetTestClient(port)) {
            KuzetTestClient.Reply login = device.login(TestFleet.KUZET_NUMBER, TestFleet.KUZET_KEY);
            assertTrue(login.value >= maxAcked, "stored " + login.value + " covers every ack " + maxAcked);
            device.startSequenceAt(maxAcked + 1); // conservative device: replays everything not acked, overlapping the server's store
            for (long seq = maxAcked + 1; seq <= TOTAL; seq++) {
                device.sendPositions(fixAt(T0 + seq * 15_000, TestFleet.latNorthOfCentre(metresNorth(seq)), TestFleet.ZONE_LON, 5));
            }
            long last = 0;
            while (last < TOTAL) {
                KuzetTestClient.Reply reply = device.read();
                if (reply.type == KuzetMessageType.ACK) {
                    last = reply.value;
                }
            }
        }
        child.destroyForcibly().waitFor();

        Map<Long, Integer> all = journaledSequences();
        for (long seq = 1; seq <= TOTAL; seq++) {
            assertEquals(1, all.getOrDefault(seq, 0), "sequence " + seq + " journaled exactly once");
        }
        Set<String> transitions = new HashSet<>();
        int[] count = new int[1];
        try (AlertJournal alerts = new AlertJournal(dataDir.resolve("alerts"))) {
            alerts.readAll((Alert a, long index) -> {
                count[0]++;
                assertTrue(transitions.add(a.alertId() + "/" + a.phase()), "alert transition emitted twice: " + a);
            });
        }
        assertTrue(count[0] >= 6, "alerts were raised before and after the crash: " + count[0]);
    }

    private Map<Long, Integer> journaledSequences() {
        Map<Long, Integer> counts = new HashMap<>();
        try (IngestJournal journal = new IngestJournal(dataDir.resolve("journal"), ProcessDurability.FACTORY);
             IngestReader reader = journal.createReader().startAfter(-1)) {
            IngestRecord r = new IngestRecord();
            while (reader.next(r)) {
                if (r.type == IngestRecord.TYPE_DEVICE_MESSAGE) {
                    counts.merge(r.message.sequence, 1, Integer::sum);
                }
            }
        }
        return counts;
    }

}
