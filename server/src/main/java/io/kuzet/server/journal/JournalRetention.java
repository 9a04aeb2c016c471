package io.kuzet.server.journal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.LongSupplier;
import net.openhft.chronicle.queue.RollCycles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes daily journal files ({@code yyyyMMdd'F'.cq4}) older than the retention, but never one that a consumer still
 * needs: a file is deleted only when its whole day lies before the day of {@code safeIndex} (the storage checkpoint),
 * so nothing journaled is lost before it is in the database. Run from a housekeeping thread; not for the hot path.
 */
public final class JournalRetention {
    private static final Logger LOG = LoggerFactory.getLogger(JournalRetention.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    private final Path directory;
    private final int retentionDays;
    private final LongSupplier safeIndex;

    /**
     * @param safeIndex the lowest journal index some consumer has not finished with (e.g. the storage checkpoint);
     *                  a negative value means nothing has been consumed yet, so nothing may be deleted
     */
    public JournalRetention(Path directory, int retentionDays, LongSupplier safeIndex) {
        this.directory = directory;
        this.retentionDays = retentionDays;
        this.safeIndex = safeIndex;
    }

    /** Deletes what may go; returns the number of files deleted. */
    public int run(long nowMs) throws IOException {
        long safe = safeIndex.getAsLong();
        if (safe < 0 || !Files.isDirectory(directory)) {
            return 0;
        }
        long firstNeededDay = RollCycles.FAST_DAILY.toCycle(safe);              // days since the epoch
        long oldestKeptDay = LocalDate.ofEpochDay(nowMs / 86_400_000L).minusDays(retentionDays).toEpochDay();
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*F.cq4")) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                long day;
                try {
                    day = LocalDate.parse(name.substring(0, 8), DAY).atStartOfDay(ZoneOffset.UTC).toLocalDate().toEpochDay();
                } catch (DateTimeParseException | StringIndexOutOfBoundsException e) {
                    continue; // not a daily cycle file
                }
                if (day < oldestKeptDay && day < firstNeededDay) {
                    Files.deleteIfExists(file);
                    deleted++;
                    LOG.info("journal retention deleted {}", file);
                }
            }
        }
        return deleted;
    }
}
