package io.kuzet.server.registry;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The prepared statements of one registry change on one connection, each prepared once and reused (a provisioning
 * import runs the same few statements hundreds of thousands of times), plus JDBC batches for rows that need no id
 * back. Not thread-safe: one per connection and transaction.
 */
final class Statements implements AutoCloseable {
    /** Rows sent to the database per JDBC batch. */
    static final int BATCH = 1000;

    private final Connection c;
    private final Map<String, PreparedStatement> prepared = new HashMap<>();
    private final List<Batch> batches = new ArrayList<>();

    Statements(Connection c) {
        this.c = c;
    }

    Connection connection() {
        return c;
    }

    /** The statement for {@code sql} (prepared once), bound to {@code args}: null, String[] as text[], else as is. */
    PreparedStatement bind(String sql, Object... args) throws SQLException {
        PreparedStatement ps = prepared.get(sql);
        if (ps == null) {
            ps = c.prepareStatement(sql);
            prepared.put(sql, ps);
        }
        for (int i = 0; i < args.length; i++) {
            if (args[i] == null) {
                ps.setNull(i + 1, Types.NULL);
            } else if (args[i] instanceof String[] texts) {
                ps.setArray(i + 1, c.createArrayOf("text", texts));
            } else {
                ps.setObject(i + 1, args[i]);
            }
        }
        return ps;
    }

    /** Runs a statement that returns one id (an insert or upsert {@code returning id}). */
    long id(String sql, Object... args) throws SQLException {
        try (ResultSet rs = bind(sql, args).executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("no id returned by " + sql);
            }
            return rs.getLong(1);
        }
    }

    /** The first column of the first row as a long, or {@code missing} when there is no row. */
    long first(long missing, String sql, Object... args) throws SQLException {
        try (ResultSet rs = bind(sql, args).executeQuery()) {
            return rs.next() ? rs.getLong(1) : missing;
        }
    }

    int update(String sql, Object... args) throws SQLException {
        return bind(sql, args).executeUpdate();
    }

    /** A batch of {@code sql}; flushed when full and by {@link #flushAll}. */
    Batch batch(String sql) {
        Batch b = new Batch(sql);
        batches.add(b);
        return b;
    }

    /** Sends every batch's pending rows. */
    void flushAll() throws SQLException {
        for (Batch b : batches) {
            b.flush();
        }
    }

    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (PreparedStatement ps : prepared.values()) {
            try {
                ps.close();
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** A row of a batch refused by the database, named by the label it was added with. */
    static final class BatchRowRefused extends RuntimeException {
        BatchRowRefused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Rows that need no id back, sent {@link #BATCH} at a time; the first refused row is named by its label. */
    final class Batch {
        private final String sql;
        private final List<String> labels = new ArrayList<>();

        private Batch(String sql) {
            this.sql = sql;
        }

        /** @param label names the row in an error, e.g. {@code subjects[12] (externalCaseId KZ-1)} */
        void add(String label, Object... args) throws SQLException {
            bind(sql, args).addBatch();
            labels.add(label);
            if (labels.size() >= BATCH) {
                flush();
            }
        }

        void flush() throws SQLException {
            if (labels.isEmpty()) {
                return;
            }
            try {
                prepared.get(sql).executeBatch();
            } catch (BatchUpdateException e) {
                int[] done = e.getUpdateCounts();
                int failed = done == null ? 0 : Math.min(done.length, labels.size() - 1);
                SQLException cause = e.getNextException() != null ? e.getNextException() : e;
                throw new BatchRowRefused(labels.get(failed) + ": "
                        + String.valueOf(cause.getMessage()).lines().findFirst().orElse(""), e);
            }
            labels.clear();
        }
    }
}
