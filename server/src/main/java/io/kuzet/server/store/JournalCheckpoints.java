package io.kuzet.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The {@code journal_checkpoints} table: the last journal index whose rows are stored, per journal. A writer
 * advances it in the same transaction as the rows, so the rows and the checkpoint commit or roll back together.
 * Stateless and thread-safe; one indexed row per call.
 */
public final class JournalCheckpoints {
    /** Returned by {@link #read} when a journal has never been checkpointed. */
    public static final long NONE = -1;

    private JournalCheckpoints() {
    }

    /** The checkpoint of {@code journalName}, or {@link #NONE}. Resume the tailer at checkpoint + 1. */
    public static long read(DataSource dataSource, String journalName) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return read(c, journalName);
        }
    }

    static long read(Connection c, String journalName) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select journal_index from journal_checkpoints where journal_name = ?")) {
            ps.setString(1, journalName);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : NONE;
            }
        }
    }

    /**
     * Locks the journal's checkpoint row for this transaction and refuses a batch ending at or before it, before any
     * row is copied: the caller is about to store records it already stored.
     */
    static void checkAhead(Connection c, String journalName, long journalIndex) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select journal_index from journal_checkpoints where journal_name = ? for update")) {
            ps.setString(1, journalName);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getLong(1) >= journalIndex) {
                    throw new StaleCheckpointException(journalName, journalIndex, rs.getLong(1));
                }
            }
        }
    }

    /**
     * Moves the checkpoint forward inside the caller's transaction. Throws when it would not move forward: the
     * caller is writing records it already stored, and its transaction must roll back rather than store them twice.
     */
    static void advance(Connection c, String journalName, long journalIndex) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into journal_checkpoints (journal_name, journal_index, updated_at) values (?, ?, now())
                on conflict (journal_name) do update set journal_index = excluded.journal_index, updated_at = now()
                where journal_checkpoints.journal_index < excluded.journal_index""")) {
            ps.setString(1, journalName);
            ps.setLong(2, journalIndex);
            if (ps.executeUpdate() != 1) {
                throw new StaleCheckpointException(journalName, journalIndex, read(c, journalName));
            }
        }
    }

    /**
     * Called at start-up, before anything is appended: when the journal ends before the stored checkpoint, the journal
     * was lost or replaced by an older copy (a restore), and its new records would reuse indices at or below the
     * checkpoint and never be stored. Every record the journal still holds up to {@code journalLastIndex} is older than
     * the checkpoint, hence stored, so the checkpoint moves back to {@code journalLastIndex} (-1 for an empty journal).
     * Returns the checkpoint that was stored when it moved back, else {@link #NONE}.
     */
    public static long rebaseOntoJournal(DataSource dataSource, String journalName, long journalLastIndex) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long stored = read(c, journalName);
            if (stored == NONE || stored <= journalLastIndex) {
                return NONE;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "update journal_checkpoints set journal_index = ?, updated_at = now() where journal_name = ? and journal_index > ?")) {
                ps.setLong(1, Math.max(NONE, journalLastIndex));
                ps.setString(2, journalName);
                ps.setLong(3, journalLastIndex);
                ps.executeUpdate();
            }
            return stored;
        }
    }

    /** A batch ended at or before the stored checkpoint: its records are already stored. */
    public static final class StaleCheckpointException extends SQLException {
        StaleCheckpointException(String journalName, long attempted, long stored) {
            super("journal '" + journalName + "' is checkpointed at " + stored + "; refusing to store up to " + attempted
                    + " again");
        }
    }
}
