package io.kuzet.server.journal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repairs what a SIGKILL in the middle of a Chronicle append can leave, before the queue is opened.
 *
 * <p>An append that rolls to a new daily file creates that file and CASes its first header to "not complete"; only
 * once the queue header and the index are written is it completed, and only then can an excerpt be appended. A kill
 * in between leaves a file ({@code .cq4}) that holds no record but that every reader of the queue waits on
 * ({@code timeoutMS}, 10 s, per look-up) and that can make {@code ExcerptTailer.toEnd()} throw
 * {@code NotReachedException}: the restart of the server failed on the alerts journal that way. Such a file is moved
 * aside ({@code <name>.cq4.<time>.crashed}, which Chronicle ignores) so the queue reopens as it was before the roll.
 *
 * <p>The other states a kill leaves Chronicle repairs itself: the append lock of the dead process is force-unlocked
 * when the queue opens (Chronicle logs "Forced unlocking"), and the next append overwrites a half-written excerpt
 * (whose header was never completed, so no reader ever saw it).
 *
 * <p>Only safe while nothing else writes the directory: run it when the server opens its journals, before any appender.
 */
public final class ChronicleCrashRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleCrashRecovery.class);
    /** Chronicle's header bit for "being written"; a complete header never has it. */
    private static final int NOT_COMPLETE = 0x8000_0000;

    private ChronicleCrashRecovery() {
    }

    /**
     * Moves aside the daily files of {@code directory} whose creation a crash interrupted; returns how many (each is
     * logged at WARN naming the journal and the file).
     */
    public static int recover(Path directory, String journal) {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        List<Path> cycleFiles = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            files.filter(f -> f.getFileName().toString().endsWith(".cq4")).forEach(cycleFiles::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the " + journal + " journal " + directory, e);
        }
        int recovered = 0;
        for (Path file : cycleFiles) {
            try {
                if (headerComplete(file)) {
                    continue;
                }
                Path aside = file.resolveSibling(file.getFileName() + "." + System.currentTimeMillis() + ".crashed");
                Files.move(file, aside);
                recovered++;
                LOG.warn("{} journal: recovered from a crash while {} was being created (its header was never completed, "
                        + "so it holds no record); moved it aside to {}", journal, file.getFileName(), aside.getFileName());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot recover the " + journal + " journal file " + file, e);
            }
        }
        return recovered;
    }

    private static boolean headerComplete(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            if (raf.length() < 4) {
                return false;
            }
            int header = Integer.reverseBytes(raf.readInt());   // Chronicle writes little-endian
            return header != 0 && (header & NOT_COMPLETE) == 0;
        }
    }
}
