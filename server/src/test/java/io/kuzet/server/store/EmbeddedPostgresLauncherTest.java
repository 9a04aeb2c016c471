package io.kuzet.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up checks on the embedded data directory that need no running PostgreSQL. */
class EmbeddedPostgresLauncherTest {
    @TempDir
    Path pgData;

    @Test
    void cleanlyStoppedDirectoryNeedsNoRecovery() throws Exception {
        assertEquals(EmbeddedPostgresLauncher.Leftover.NONE, EmbeddedPostgresLauncher.recoverLeftover(pgData));
    }

    @Test
    void pidFileNamingAProcessThatIsNotOurPostgresIsRemovedAndNothingIsSignalled() throws Exception {
        long self = ProcessHandle.current().pid();   // alive, but a JVM, not a postgres on this directory
        Files.writeString(pgData.resolve("postmaster.pid"), self + "\n" + pgData + "\n1700000000\n5432\n");
        assertFalse(EmbeddedPostgresLauncher.isPostmasterOf(self, pgData));

        assertEquals(EmbeddedPostgresLauncher.Leftover.STALE_PID_FILE, EmbeddedPostgresLauncher.recoverLeftover(pgData));
        assertFalse(Files.exists(pgData.resolve("postmaster.pid")));
        assertTrue(ProcessHandle.current().isAlive());
    }

    @Test
    void directoryHeldByARunningServerIsRefusedWithTheReason() throws Exception {
        Files.writeString(pgData.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n");
        try (RandomAccessFile file = new RandomAccessFile(pgData.resolve("epg-lock").toFile(), "rw");
             FileLock held = file.getChannel().lock()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> EmbeddedPostgresLauncher.recoverLeftover(pgData));
            assertTrue(e.getMessage().contains("two servers cannot share a data directory"), e.getMessage());
            assertTrue(held.isValid());
        }
        assertTrue(Files.exists(pgData.resolve("postmaster.pid")), "nothing is touched");
    }
}
