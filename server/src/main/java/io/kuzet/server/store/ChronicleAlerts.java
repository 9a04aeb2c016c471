package io.kuzet.server.store;

import io.kuzet.server.alert.Alert;
import io.kuzet.server.alert.AlertJournal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.queue.ExcerptTailer;

/** Alert storage's source on the embedded alerts journal: the stored position is one index ({@code journal_checkpoints}). */
public final class ChronicleAlerts implements AlertsSource {
    private final AlertJournal journal;
    private final AlertWriter writer;
    private ExcerptTailer tailer;
    private volatile long checkpoint = JournalCheckpoints.NONE;

    public ChronicleAlerts(AlertJournal journal, AlertWriter writer) {
        this.journal = journal;
        this.writer = writer;
    }

    @Override
    public int storeNext(int max) throws SQLException {
        if (tailer == null) {
            checkpoint = writer.checkpoint();
            tailer = journal.createTailer();
            if (checkpoint >= 0 && tailer.moveToIndex(checkpoint)) {
                tailer.readingDocument().close(); // skip the stored one
            }
        }
        List<Alert> batch = new ArrayList<>();
        long[] last = {JournalCheckpoints.NONE};
        AlertJournal.readFrom(tailer, (alert, index) -> {
            batch.add(alert);
            last[0] = index;
        }, max);
        if (batch.isEmpty()) {
            return 0;
        }
        writer.upsert(batch, last[0]);
        checkpoint = last[0];
        return batch.size();
    }

    @Override
    public void reset() {
        if (tailer != null) {
            tailer.close();
            tailer = null;
        }
    }

    @Override
    public long checkpoint() {
        return checkpoint;
    }

    @Override
    public double lag() {
        return ChroniclePositions.entriesAfter(journal.queue(), checkpoint);
    }

    @Override
    public void close() {
        reset();
    }
}
