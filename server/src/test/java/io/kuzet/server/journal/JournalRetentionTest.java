package io.kuzet.server.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalRetentionTest {
    @TempDir
    Path dir;

    private Path day(String yyyymmdd) throws Exception {
        return Files.createFile(dir.resolve(yyyymmdd + "F.cq4"));
    }

    private static long indexOnDay(String isoDate) {
        return RollCycles.FAST_DAILY.toIndex((int) LocalDate.parse(isoDate).toEpochDay(), 0);
    }

    private static long ms(String isoDate) {
        return LocalDate.parse(isoDate).toEpochDay() * 86_400_000L;
    }

    @Test
    void filesOlderThanRetentionAndAlreadyStoredAreDeletedOthersKept() throws Exception {
        Path old = day("20261101");
        Path stillInRetention = day("20261115");
        Path today = day("20261123");
        Path metadata = Files.createFile(dir.resolve("metadata.cq4t"));
        int deleted = new JournalRetention(dir, 14, () -> indexOnDay("2026-11-20")).run(ms("2026-11-23"));
        assertEquals(1, deleted);
        assertFalse(Files.exists(old));
        assertTrue(Files.exists(stillInRetention));
        assertTrue(Files.exists(today));
        assertTrue(Files.exists(metadata));
    }

    @Test
    void fileNotYetStoredInTheDatabaseIsKeptPastRetention() throws Exception {
        Path old = day("20261101");
        int deleted = new JournalRetention(dir, 14, () -> indexOnDay("2026-11-01")).run(ms("2026-11-23"));
        assertEquals(0, deleted, "storage is still reading that day (database outage)");
        assertTrue(Files.exists(old));
    }

    @Test
    void nothingIsDeletedBeforeStorageStoredAnything() throws Exception {
        Path old = day("20260101");
        assertEquals(0, new JournalRetention(dir, 14, () -> -1).run(ms("2026-11-23")));
        assertTrue(Files.exists(old));
    }
}
