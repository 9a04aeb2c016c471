package io.kuzet.server.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes positions and device events older than the retention, except rows inside a legal hold (same subject, time
 * within the hold's window). Works a day-slice at a time: a daily partition (plain PostgreSQL) or a chunk
 * (TimescaleDB) that ends before the cutoff is dropped whole when no hold intersects it, and otherwise emptied
 * row-wise of everything not held and kept until its holds are lifted. Rows in the default partition (dates no daily
 * partition covered) are deleted row-wise. Retention is therefore at day granularity: a row goes at most a day after
 * it expires. TimescaleDB's own retention policy is not used because it cannot honour holds.
 *
 * <p>Thread-safe if runs do not overlap (the scheduler calls it from one thread). Cost: one statement per expired
 * slice; a dropped partition costs no row scan, a held one a scan of that day.
 */
public final class RetentionJob {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);
    private static final String NOT_HELD = """
            not exists (select 1 from legal_holds h where h.subject_id = t.subject_id
                        and t.%1$s >= h.from_time and t.%1$s <= h.to_time)""";

    private final DataSource dataSource;
    private final SchemaFlavour flavour;
    private final PartitionMaintenance partitions;
    private final int retentionDays;
    private final Counter positionsDeleted;
    private final Counter eventsDeleted;
    private final AtomicLong lastRunEpochSeconds = new AtomicLong();
    private volatile RunListener listener;

    /** Told of every completed run (the server audits them). */
    @FunctionalInterface
    public interface RunListener {
        void completed(Instant now, Instant cutoff, long positionsDeleted, long eventsDeleted) throws SQLException;
    }

    public RetentionJob(Database database, MeterRegistry registry) {
        this(database.dataSource(), database.flavour(), database.partitions(),
                database.settings().positionsRetentionDays(), registry);
    }

    RetentionJob(DataSource dataSource, SchemaFlavour flavour, PartitionMaintenance partitions, int retentionDays,
                 MeterRegistry registry) {
        this.dataSource = dataSource;
        this.flavour = flavour;
        this.partitions = partitions;
        this.retentionDays = retentionDays;
        this.positionsDeleted = deleted(registry, "positions");
        this.eventsDeleted = deleted(registry, "device_events");
        Gauge.builder("kuzet_retention_last_run_timestamp_seconds", lastRunEpochSeconds, AtomicLong::doubleValue)
                .description("when retention last completed").register(registry);
    }

    private static Counter deleted(MeterRegistry registry, String table) {
        return Counter.builder("kuzet_retention_rows_deleted").tag("table", table)
                .description("rows removed by retention").register(registry);
    }

    /** Sets who is told of each completed run; returns this. */
    public RetentionJob onRun(RunListener l) {
        this.listener = l;
        return this;
    }

    /** Applies retention as of {@code now}; returns the rows deleted (both tables). */
    public long run(Instant now) throws SQLException {
        Instant cutoff = now.minusSeconds(retentionDays * 86_400L);
        long total = 0;
        long[] perTable = new long[TimeSeriesTable.values().length];
        for (TimeSeriesTable table : TimeSeriesTable.values()) {
            long rows = 0;
            for (Slice slice : expiredSlices(table, cutoff)) {
                rows += expire(table, slice);
            }
            if (flavour == SchemaFlavour.PLAIN_POSTGRESQL) {
                rows += deleteUnheld(table, table.defaultPartition(), null, cutoff);
            }
            (table == TimeSeriesTable.POSITIONS ? positionsDeleted : eventsDeleted).increment(rows);
            perTable[table.ordinal()] = rows;
            total += rows;
        }
        lastRunEpochSeconds.set(now.getEpochSecond());
        LOG.info("retention before {}: {} rows deleted", cutoff, total);
        RunListener l = listener;
        if (l != null) {
            l.completed(now, cutoff, perTable[TimeSeriesTable.POSITIONS.ordinal()],
                    total - perTable[TimeSeriesTable.POSITIONS.ordinal()]);
        }
        return total;
    }

    private long expire(TimeSeriesTable table, Slice slice) throws SQLException {
        if (held(slice)) {
            return deleteUnheld(table, table.tableName(), slice.from, slice.to);
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            long rows = count(c, table, slice);
            if (flavour == SchemaFlavour.TIMESCALEDB) {
                // drop_chunks takes its bounds as "any": untyped JDBC parameters need an explicit type.
                try (PreparedStatement drop = c.prepareStatement(
                        "select drop_chunks(?::regclass, older_than => ?::timestamptz, newer_than => ?::timestamptz)")) {
                    drop.setString(1, table.tableName());
                    drop.setTimestamp(2, Timestamp.from(slice.to));
                    drop.setTimestamp(3, Timestamp.from(slice.from));
                    drop.execute();
                }
            } else {
                s.execute("drop table " + PartitionMaintenance.partitionName(table, slice.day));
                partitions.forget(table, slice.day);
            }
            return rows;
        }
    }

    private long count(Connection c, TimeSeriesTable table, Slice slice) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from " + table.tableName() + " where "
                + table.timeColumn() + " >= ? and " + table.timeColumn() + " < ?")) {
            ps.setTimestamp(1, Timestamp.from(slice.from));
            ps.setTimestamp(2, Timestamp.from(slice.to));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private boolean held(Slice slice) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select exists (select 1 from legal_holds where from_time < ? and to_time >= ?)")) {
            ps.setTimestamp(1, Timestamp.from(slice.to));
            ps.setTimestamp(2, Timestamp.from(slice.from));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Deletes rows of {@code relation} in [from, to) that no hold covers; {@code from} null = no lower bound. */
    private long deleteUnheld(TimeSeriesTable table, String relation, Instant from, Instant to) throws SQLException {
        String time = table.timeColumn();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from " + relation + " t where t." + time + " >= coalesce(?::timestamptz, '-infinity'::timestamptz) and t."
                     + time + " < ? and " + String.format(NOT_HELD, time))) {
            ps.setTimestamp(1, from == null ? null : Timestamp.from(from));
            ps.setTimestamp(2, Timestamp.from(to));
            return ps.executeUpdate();
        }
    }

    private List<Slice> expiredSlices(TimeSeriesTable table, Instant cutoff) throws SQLException {
        List<Slice> slices = new ArrayList<>();
        if (flavour == SchemaFlavour.PLAIN_POSTGRESQL) {
            for (LocalDate day : partitions.days(table)) {
                Slice slice = new Slice(day, day.atStartOfDay(ZoneOffset.UTC).toInstant(),
                        day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
                if (!slice.to.isAfter(cutoff)) {
                    slices.add(slice);
                }
            }
            return slices;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select range_start, range_end from timescaledb_information.chunks
                     where hypertable_name = ? and range_end <= ? order by range_start""")) {
            ps.setString(1, table.tableName());
            ps.setTimestamp(2, Timestamp.from(cutoff));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant from = rs.getTimestamp(1).toInstant();
                    slices.add(new Slice(LocalDate.ofInstant(from, ZoneOffset.UTC), from, rs.getTimestamp(2).toInstant()));
                }
            }
        }
        return slices;
    }

    private record Slice(LocalDate day, Instant from, Instant to) {
    }
}
