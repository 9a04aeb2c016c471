package io.kuzet.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongLongConsumer;

/**
 * The {@code device_sequences} table: each sequenced (Kuzet) device's highest stored sequence, kept beyond the
 * journal's retention. {@link PositionWriter} raises it in the transaction that stores the rows and moves the journal
 * checkpoint, so it never claims a message whose record could still be lost; start-up merges it (max) with what the
 * retained journal gives. Stateless and thread-safe; one batched upsert per storage batch.
 */
public final class DeviceSequences {
    /** Value of a batch map for "no sequence" (the map's missing value). */
    public static final long NONE = 0;

    private DeviceSequences() {
    }

    /** A per-batch map of device id → highest sequence, reused across batches. */
    public static Long2LongHashMap newBatch() {
        return new Long2LongHashMap(NONE);
    }

    /** Raises the stored sequence of every device in {@code batch}, inside the caller's transaction. Never lowers one. */
    static void raise(Connection c, Long2LongHashMap batch) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                insert into device_sequences (device_id, last_sequence, updated_at) values (?, ?, now())
                on conflict (device_id) do update set last_sequence = excluded.last_sequence, updated_at = now()
                where device_sequences.last_sequence < excluded.last_sequence""")) {
            SQLException[] failure = new SQLException[1];
            batch.forEachLong((deviceId, sequence) -> {
                if (failure[0] == null) {
                    try {
                        ps.setLong(1, deviceId);
                        ps.setLong(2, sequence);
                        ps.addBatch();
                    } catch (SQLException e) {
                        failure[0] = e;
                    }
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
            ps.executeBatch();
        }
    }

    /** Calls {@code sink} with every stored (device id, last sequence); returns how many. */
    public static int load(DataSource dataSource, LongLongConsumer sink) throws SQLException {
        int rows = 0;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select device_id, last_sequence from device_sequences");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                sink.accept(rs.getLong(1), rs.getLong(2));
                rows++;
            }
        }
        return rows;
    }
}
