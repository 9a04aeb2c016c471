package io.kuzet.server.testing;

import io.kuzet.protocol.DeviceMessage;
import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertJournal;
import io.kuzet.server.alert.AlertType;
import io.kuzet.server.alert.Severity;
import io.kuzet.server.journal.IngestJournal;
import io.kuzet.server.journal.ProcessDurability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * A journal writer for tests that SIGKILL it in the middle of an append: {@code kind} is {@code alerts} (the alerts
 * journal) or {@code ingest} (the ingest journal), both Chronicle queues under {@code dir}.
 *
 * <ul>
 *   <li>{@code hold N}: appends N complete records (alert ids / device sequences 1..N), then opens a further append
 *       and writes half of it, touches {@code <dir>.holding} and never finishes it: exactly what a kill in the middle
 *       of an append leaves (the append lock held by a dead process, an excerpt header marked "not complete").</li>
 *   <li>{@code cut N}: appends N complete records to yesterday's daily file, then is killed as it rolls to today's:
 *       the append lock held and today's file created with its first header "not complete".</li>
 *   <li>{@code roll N} (alerts): appends alerts as fast as it can, each to a new daily file (so most of the time goes
 *       into creating files), touching {@code <dir>.holding} after N more, until killed; continues the ids it finds.</li>
 * </ul>
 */
public final class JournalAppendKillChild {
    private JournalAppendKillChild() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        Path dir = Path.of(args[1]);
        boolean hold = args[2].equals("hold");
        // roll: alert i goes to the daily file of day 1000 + i (1972: long past, so a restart on the wall clock appends after)
        // cut: the complete records go to yesterday's file, the interrupted roll creates today's
        boolean cut = args[2].equals("cut");
        boolean roll = args[2].equals("roll");
        long[] day = {System.currentTimeMillis() / 86_400_000L - 1};
        net.openhft.chronicle.core.time.TimeProvider fileClock = !roll && !cut ? null : new net.openhft.chronicle.core.time.TimeProvider() {
            @Override
            public long currentTimeMillis() {
                return day[0] * 86_400_000L;
            }

            @Override
            public long currentTimeMicros() {
                return currentTimeMillis() * 1000;
            }

            @Override
            public long currentTimeNanos() {
                return currentTimeMillis() * 1_000_000;
            }
        };
        int count = Integer.parseInt(args[3]);
        Path marker = dir.resolveSibling(dir.getFileName() + ".holding");
        if (kind.equals("alerts")) {
            AlertJournal journal = new AlertJournal(dir, AlertJournal.DEFAULT_WINDOW, fileClock);
            journal.rememberFrom(-1);
            journal.trim();
            long id = journal.lastIndex() < 0 ? 1 : count(journal) + 1;
            for (long end = id + count; id < end; id++) {
                day[0] = roll ? 1000 + id : day[0];
                journal.append(alert(id));
            }
            if (hold) {
                holdHalfAppend(journal.queue().createAppender(), marker);
            }
            if (cut) {
                holdHalfCreatedFile(journal.queue(), dir, marker);
            }
            Files.createFile(marker);
            while (true) {
                day[0] = roll ? 1000 + id : day[0];
                journal.append(alert(id++));
            }
        } else {
            IngestJournal journal = new IngestJournal(dir, ProcessDurability.FACTORY, fileClock);
            DeviceMessage message = new DeviceMessage();
            long sequence = 1;
            for (; sequence <= count; sequence++) {
                appendFix(journal, message, sequence);
            }
            if (hold) {
                holdHalfAppend(journal.queue().createAppender(), marker);
            }
            if (cut) {
                holdHalfCreatedFile(journal.queue(), dir, marker);
            }
            Files.createFile(marker);
            while (true) {
                appendFix(journal, message, sequence++);
            }
        }
    }

    /** The alert with id {@code id} that every journal-crash test writes and expects back. */
    public static Alert alert(long id) {
        return new Alert(id, Alert.Phase.RAISED, AlertType.EXCLUSION_VIOLATION, Severity.HIGH, 10, 700_000_001L, 20, 30, 40,
                1_780_000_000_000L + id * 1000, 1_780_000_000_500L + id * 1000, false,
                "Exclusion zone 'Victim home': alert " + id, Map.of("distanceMetres", 85));
    }

    private static long count(AlertJournal journal) {
        long[] n = new long[1];
        journal.readAll((a, i) -> n[0]++);
        return n[0];
    }

    private static void appendFix(IngestJournal journal, DeviceMessage message, long sequence) {
        message.clear();
        message.sequence = sequence;
        Fixes.addFix(message, 1_780_000_000_000L + sequence * 1000, 43.238, 76.945, 5);
        journal.appendDeviceMessage(System.currentTimeMillis(), System.nanoTime(), 10, 1, message);
    }

    /**
     * What an append that rolls to a new daily file leaves when killed half-way through creating it: the append lock
     * held, today's file created and mapped (zeros) with its first header CASed to "not complete" (Chronicle's
     * {@code writeFirstHeader}) but the queue header and index not yet written nor the header completed.
     */
    private static void holdHalfCreatedFile(net.openhft.chronicle.queue.ChronicleQueue queue, Path dir, Path marker)
            throws Exception {
        java.lang.reflect.Method writeLock = queue.getClass().getDeclaredMethod("writeLock");
        writeLock.setAccessible(true);
        ((net.openhft.chronicle.queue.impl.single.WriteLock) writeLock.invoke(queue)).lock();
        String today = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'F'").withZone(java.time.ZoneOffset.UTC)
                .format(java.time.Instant.now());
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(dir.resolve(today + ".cq4").toFile(), "rw")) {
            file.setLength(1 << 20);
            file.writeInt(Integer.reverseBytes(Integer.MIN_VALUE));   // the not-complete marker, little-endian
        }
        Files.createFile(marker);
        new CountDownLatch(1).await();
    }

    private static void holdHalfAppend(ExcerptAppender appender, Path marker) throws Exception {
        DocumentContext dc = appender.writingDocument();
        dc.wire().bytes().writeByte((byte) 1).writeLong(Long.MAX_VALUE).writeUtf8("RAIS");
        Files.createFile(marker);
        new CountDownLatch(1).await();   // never closes the document: the kill comes first
    }
}
