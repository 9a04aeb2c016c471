package io.kuzet.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

/**
 * The {@code kafka_offsets} table: per (topic, partition), the offset of the next record storage has not stored. The
 * storage writer moves it in the same transaction as the rows, as a compare-and-set on the offsets it started from, so
 * a batch is stored exactly once even if two writers ever read the same partition. Stateless and thread-safe.
 */
public final class KafkaOffsets {
    /** A partition with no stored offset: read it from its start. */
    public static final long NONE = -1;

    private KafkaOffsets() {
    }

    /** The stored next offsets of {@code topic}'s first {@code partitions} partitions; {@link #NONE} where none. */
    public static long[] read(DataSource dataSource, String topic, int partitions) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return read(c, topic, partitions);
        }
    }

    private static long[] read(Connection c, String topic, int partitions) throws SQLException {
        long[] offsets = new long[partitions];
        Arrays.fill(offsets, NONE);
        try (PreparedStatement ps = c.prepareStatement("select partition_id, next_offset from kafka_offsets where topic = ?")) {
            ps.setString(1, topic);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int p = rs.getInt(1);
                    if (p < partitions) {
                        offsets[p] = rs.getLong(2);
                    }
                }
            }
        }
        return offsets;
    }

    /**
     * Inside the caller's transaction: locks the rows of the partitions that moved ({@code next[p] > from[p]}) and
     * refuses, before any row is written, a batch whose moved partitions do not start at the stored offset
     * {@code stored[p]}. Only the moved partitions are locked, so writers of different partitions (several nodes in
     * one storage group) do not wait for each other.
     */
    static void checkAhead(Connection c, String topic, long[] stored, long[] from, long[] next) throws SQLException {
        List<Integer> moved = new ArrayList<>();
        for (int p = 0; p < stored.length; p++) {
            if (next[p] > from[p]) {
                moved.add(p);
            }
        }
        if (moved.isEmpty()) {
            return;
        }
        long[] now = new long[stored.length];
        Arrays.fill(now, NONE);
        try (PreparedStatement ps = c.prepareStatement("select partition_id, next_offset from kafka_offsets"
                + " where topic = ? and partition_id = any (?) for update")) {
            ps.setString(1, topic);
            ps.setArray(2, c.createArrayOf("integer", moved.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    now[rs.getInt(1)] = rs.getLong(2);
                }
            }
        }
        for (int p : moved) {
            if (now[p] != stored[p]) {
                throw new JournalCheckpoints.StaleCheckpointException("kafka:" + topic + "/" + p, next[p], now[p]);
            }
        }
    }

    /** Inside the caller's transaction: stores {@code next[p]} for every partition that moved. */
    static void advance(Connection c, String topic, long[] from, long[] next) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into kafka_offsets (topic, partition_id, next_offset, updated_at) values (?, ?, ?, now())
                on conflict (topic, partition_id) do update set next_offset = excluded.next_offset, updated_at = now()
                where kafka_offsets.next_offset < excluded.next_offset""")) {
            int moved = 0;
            for (int p = 0; p < next.length; p++) {
                if (next[p] > from[p]) {
                    ps.setString(1, topic);
                    ps.setInt(2, p);
                    ps.setLong(3, next[p]);
                    ps.addBatch();
                    moved++;
                }
            }
            if (moved > 0) {
                for (int updated : ps.executeBatch()) {
                    if (updated == 0) {
                        throw new SQLException("kafka_offsets of " + topic + " did not move forward; rolling back");
                    }
                }
            }
        }
    }
}
