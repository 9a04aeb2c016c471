package io.kuzet.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Plain-PostgreSQL layout: creates the daily partitions ({@code positions_p20260115} covers [2026-01-15, 2026-01-16)
 * UTC) ahead of time and on demand for late data, and lists them for {@link RetentionJob}. A partition created for a
 * day whose rows already landed in the default partition takes those rows with it, in the same transaction.
 * On TimescaleDB every method is a no-op: chunks are created by the extension.
 *
 * <p>Thread-safe: creation is serialised across processes by an advisory lock and known days are cached, so
 * {@link #ensureDay} costs one hash lookup once a day exists.
 */
public final class PartitionMaintenance {
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.BASIC_ISO_DATE;
    private static final long ADVISORY_LOCK = 0x6B757A6574_01L; // "kuzet" + 1

    private final DataSource dataSource;
    private final SchemaFlavour flavour;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    PartitionMaintenance(DataSource dataSource, SchemaFlavour flavour) {
        this.dataSource = dataSource;
        this.flavour = flavour;
    }

    /** Ensures a daily partition of both tables for each day in [from, to]. */
    public void ensureDays(LocalDate from, LocalDate to) throws SQLException {
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            for (TimeSeriesTable table : TimeSeriesTable.values()) {
                ensureDay(table, d);
            }
        }
    }

    /** Ensures the partition of {@code table} for {@code day} exists, moving its rows out of the default partition. */
    public void ensureDay(TimeSeriesTable table, LocalDate day) throws SQLException {
        if (flavour == SchemaFlavour.TIMESCALEDB) {
            return;
        }
        String name = partitionName(table, day);
        if (known.contains(name)) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
                    lock.setLong(1, ADVISORY_LOCK);
                    lock.execute();
                }
                if (!exists(c, name)) {
                    create(c, table, day, name);
                }
                c.commit();
                known.add(name);
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static void create(Connection c, TimeSeriesTable table, LocalDate day, String name) throws SQLException {
        String from = bound(day);
        String to = bound(day.plusDays(1));
        String time = table.timeColumn();
        try (Statement s = c.createStatement()) {
            s.execute("create table " + name + " (like " + table.tableName() + " including defaults including constraints)");
            // Rows that arrived before this partition existed sit in the default partition; attaching would fail.
            s.execute("with moved as (delete from " + table.defaultPartition() + " where " + time + " >= " + from
                    + " and " + time + " < " + to + " returning *) insert into " + name + " select * from moved");
            s.execute("alter table " + table.tableName() + " attach partition " + name
                    + " for values from (" + from + ") to (" + to + ")");
        }
    }

    private static boolean exists(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select to_regclass(?) is not null")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Daily partitions of {@code table} that exist now, oldest first (empty on TimescaleDB). */
    public List<LocalDate> days(TimeSeriesTable table) throws SQLException {
        List<LocalDate> days = new ArrayList<>();
        if (flavour == SchemaFlavour.TIMESCALEDB) {
            return days;
        }
        String prefix = table.tableName() + "_p";
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select child.relname from pg_inherits i
                     join pg_class child on child.oid = i.inhrelid
                     join pg_class parent on parent.oid = i.inhparent
                     where parent.relname = ? order by child.relname""")) {
            ps.setString(1, table.tableName());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String child = rs.getString(1);
                    if (child.startsWith(prefix)) {
                        parseDay(child.substring(prefix.length()), days);
                    }
                }
            }
        }
        return days;
    }

    /** Forgets a dropped partition so a later late row re-creates it. */
    void forget(TimeSeriesTable table, LocalDate day) {
        known.remove(partitionName(table, day));
    }

    private static void parseDay(String suffix, List<LocalDate> into) {
        try {
            into.add(LocalDate.parse(suffix, SUFFIX));
        } catch (DateTimeParseException notOurs) {
            // A partition someone else attached under another naming scheme: not ours to drop.
        }
    }

    /** The partition's name: only digits from a {@link LocalDate} are appended, so it is safe as an identifier. */
    static String partitionName(TimeSeriesTable table, LocalDate day) {
        if (day.getYear() < 1970 || day.getYear() > 9999) {
            throw new IllegalArgumentException("no partition for year " + day.getYear());
        }
        return table.tableName() + "_p" + SUFFIX.format(day);
    }

    /** A timestamptz literal for midnight UTC of {@code day}, built from the validated date only. */
    static String bound(LocalDate day) {
        return "'" + day + " 00:00:00+00'";
    }
}
