package io.kuzet.server.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kuzet.protocol.DeviceEventType;
import io.kuzet.protocol.DeviceMessage;
import io.kuzet.protocol.Fix;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestJournalTest {
    @TempDir
    Path dir;

    @Test
    void deviceMessageReadsBackFieldForFieldAfterReopening() {
        DeviceMessage msg = new DeviceMessage();
        msg.deviceId = 861234567890123L;
        msg.sequence = 42;
        msg.batteryPercent = 77;
        msg.signalPercent = 60;
        Fix f = msg.addFix();
        f.timeMs = 1_700_000_000_000L;
        f.latE7 = 432_380_000;
        f.lonE7 = 769_450_000;
        f.altitudeM = 850;
        f.speedKmhX10 = 53;
        f.headingDeg = 271;
        f.accuracyDm = 125;
        f.hdopX10 = 11;
        f.satellites = 9;
        f.flags = Fix.FLAG_VALID | Fix.FLAG_BUFFERED;
        msg.addEvent(1_700_000_001_000L, DeviceEventType.STRAP_TAMPER, -1);
        try (IngestJournal journal = new IngestJournal(dir, ProcessDurability.FACTORY)) {
            journal.appendDeviceMessage(1_700_000_002_000L, 123, 7, Protocol.GT06.code(), msg);
            journal.appendTick(1_700_000_003_000L);
        }
        try (IngestJournal journal = new IngestJournal(dir, ProcessDurability.FACTORY);
             IngestReader reader = journal.createReader().startAfter(-1)) {
            IngestRecord r = new IngestRecord();
            assertTrue(reader.next(r));
            assertEquals(IngestRecord.TYPE_DEVICE_MESSAGE, r.type);
            assertEquals(1_700_000_002_000L, r.timeMs);
            assertEquals(7, r.deviceId);
            assertEquals(Protocol.GT06.code(), r.protocol);
            assertEquals(861234567890123L, r.message.deviceId);
            assertEquals(42, r.message.sequence);
            assertEquals(77, r.message.batteryPercent);
            assertEquals(1, r.message.fixCount());
            assertEquals(f.toString(), r.message.fix(0).toString());
            assertEquals(DeviceEventType.STRAP_TAMPER, r.message.eventType(0));
            assertTrue(reader.next(r));
            assertTrue(r.isTick());
            assertEquals(1_700_000_003_000L, r.timeMs);
            assertFalse(reader.next(r));
        }
    }

    @Test
    void readerStartingAfterAnIndexSkipsEverythingUpToIt() {
        try (IngestJournal journal = new IngestJournal(dir, ProcessDurability.FACTORY)) {
            long first = journal.appendTick(1);
            journal.appendTick(2);
            journal.appendTick(3);
            try (IngestReader reader = journal.createReader().startAfter(first)) {
                IngestRecord r = new IngestRecord();
                assertTrue(reader.next(r));
                assertEquals(2, r.timeMs);
            }
        }
    }

    @Test
    void fsyncModeAcksOnlyAfterAForceOfTheJournalFile() throws InterruptedException {
        try (IngestJournal journal = new IngestJournal(dir, FsyncGroupCommit.factory(2))) {
            FsyncGroupCommit commit = (FsyncGroupCommit) journal.durability();
            assertFalse(commit.immediate());
            long forcesBefore = commit.forces();
            CountDownLatch acked = new CountDownLatch(100);
            for (int i = 0; i < 100; i++) {
                long index = journal.appendTick(i);
                commit.whenDurable(index, acked::countDown);
            }
            assertTrue(acked.await(5, TimeUnit.SECONDS));
            long forces = commit.forces() - forcesBefore;
            assertTrue(forces >= 1, "at least one force covered the acks");
            assertTrue(forces <= 100, "acks were grouped: " + forces + " forces for 100 appends");
        }
    }

    @Test
    void theDirectoryEntryOfANewCycleFileIsForcedBeforeTheFirstAck() throws InterruptedException {
        java.util.List<Path> forced = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<Path> forcedBeforeAck = new java.util.concurrent.CopyOnWriteArrayList<>();
        FsyncGroupCommit.Forcer recording = (channel, path) -> {
            channel.force(false);
            forced.add(path);
        };
        try (IngestJournal journal = new IngestJournal(dir, FsyncGroupCommit.factory(2, recording))) {
            forced.clear();   // the open forced what was there; what counts is the force after the file appears
            CountDownLatch acked = new CountDownLatch(1);
            long index = journal.appendTick(1);   // creates today's cycle file
            journal.durability().whenDurable(index, () -> {
                forcedBeforeAck.addAll(forced);
                acked.countDown();
            });
            assertTrue(acked.await(5, TimeUnit.SECONDS));
        }
        assertTrue(forcedBeforeAck.stream().anyMatch(p -> p.toString().endsWith(".cq4")), "cycle file forced: " + forcedBeforeAck);
        assertTrue(forcedBeforeAck.contains(dir), "journal directory forced after the file was created: " + forcedBeforeAck);
    }
}
