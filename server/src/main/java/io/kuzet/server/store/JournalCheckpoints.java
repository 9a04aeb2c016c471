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

    /** A batch ended at or before the stored checkpoint: its records are already stored. */
    public static final class StaleCheckpointException extends SQLException {
        StaleCheckpointException(String journalName, long attempted, long stored) {
            super("journal '" + journalName + "' is checkpointed at " + stored + "; refusing to store up to " + attempted
                    + " again");
        }
    }
}
